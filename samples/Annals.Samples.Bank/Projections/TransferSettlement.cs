using Annals.Projections;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Samples.Bank.Projections;

/// <summary>
/// Credits every transfer: for each <see cref="TransferSent"/> it appends one <see cref="TransferReceived"/> to the
/// receiver's stream, in the commit of its own checkpoint, so a debit gets exactly one credit even when the process
/// stops between the two. The credit's id derives from the transfer's id, and it carries the debit's correlation.
/// </summary>
public sealed class TransferSettlement(EventCodec codec) : IProjection
{
    public const string Name = "transfer-settlement";

    public static ProjectionOptions Options { get; } = new() { Filter = EventFilter.Subjects($"{AccountEntity.Category}.*.TransferSent") };

    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        // One append per receiving stream, its credits in log order.
        var credits = new Dictionary<StreamName, List<EventData>>();
        foreach (var record in batch.Events)
        {
            foreach (var sent in codec.Decode(record).OfType<TransferSent>())
            {
                var receiver = BankStreams.Account(sent.To);
                var credit = new TransferReceived(sent.To, sent.Transfer, sent.Account, sent.Amount);
                var encoded = codec.Encode(credit, EventIds.Derive(receiver, sent.Transfer, 0), MessageContext.CausedBy(record));
                if (!credits.TryGetValue(receiver, out var list))
                {
                    credits[receiver] = list = [];
                }

                list.Add(encoded);
            }
        }

        foreach (var (receiver, events) in credits)
        {
            batch.Commit.Append(receiver, ExpectedRevision.Any, events);
        }

        return ValueTask.CompletedTask;
    }
}
