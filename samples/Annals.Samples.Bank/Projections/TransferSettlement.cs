using Annals.Entities;
using Annals.Projections;
using Annals.Samples.Bank.Domain;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Samples.Bank.Projections;

/// <summary>
/// Credits every transfer: for each <see cref="TransferSent"/> it sends <see cref="ReceiveTransfer"/> to the receiver's
/// entity, and its checkpoint moves past the debit only once the credit is stored. A batch handled again (after a
/// crash, or a retry) sends the same credit with the same message id, <c>credit-{transfer}</c>, whose event id derives
/// from it: the store recognises it, so every debit gets exactly one credit.
/// </summary>
public sealed class TransferSettlement(EntityEngine engine, EventCodec codec) : IProjection
{
    public const string Name = "transfer-settlement";

    /// <summary>A credit must never be skipped: retried patiently, and on lasting failure the projection stops (and /health says so).</summary>
    public static ProjectionOptions Options { get; } = new()
    {
        Filter = EventFilter.Subjects($"{AccountEntity.Category}.*.TransferSent"),
        MaxRetries = 10,
        RetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromSeconds(2),
        OnFailure = FailurePolicy.Stop,
    };

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var credits = batch.Events
            .SelectMany(record => codec.Decode(record).OfType<TransferSent>().Select(sent => (Record: record, Sent: sent)))
            .GroupBy(c => c.Sent.To, StringComparer.Ordinal);

        // Receivers in parallel; each receiver's credits in log order.
        await Task.WhenAll(credits.Select(async receiver =>
        {
            foreach (var (record, sent) in receiver)
            {
                var credit = new ReceiveTransfer(sent.To, sent.Transfer, sent.Account, sent.Amount);
                var context = MessageContext.CausedBy(record) with { MessageId = $"credit-{sent.Transfer}" };
                await engine.SendCommandAsync<AccountState>(BankStreams.Account(sent.To), credit, context: context, cancellationToken: cancellationToken);
            }
        }));
    }
}
