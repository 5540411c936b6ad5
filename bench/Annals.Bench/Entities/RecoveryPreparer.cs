using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>
/// Writes the one entity that <c>entity-recovery</c> recovers: its deposits in commits of 1,000 events (or of the
/// snapshot interval), and with snapshots the state after each interval in the same commit, as the engine's
/// every-N strategy would have left it.
/// </summary>
internal static class RecoveryPreparer
{
    private const int DefaultChunk = 1_000;

    public static StreamName Entity { get; } = StreamNames.Account(0);

    public static async Task PrepareAsync(IEventStore store, int events, int? snapshotEvery, CancellationToken cancellationToken)
    {
        var codec = new EventCodec(AccountDecider.Registry(snapshots: snapshotEvery is not null));
        var decider = AccountDecider.Instance;
        var state = decider.InitialState;
        var random = new Random(1);
        var chunk = snapshotEvery ?? DefaultChunk;
        for (var written = 0; written < events;)
        {
            var count = Math.Min(chunk, events - written);
            var deposits = new AccountEvent[count];
            for (var i = 0; i < count; i++)
            {
                deposits[i] = new Deposited("acc-000000", random.Next(1, 100_000) / 100m, "EUR", Guid.NewGuid().ToString("N"));
                state = decider.Evolve(state, deposits[i]);
            }

            var expected = written == 0 ? ExpectedRevision.NoStream : ExpectedRevision.Exact(written - 1);
            var batch = new CommitBatch().Append(Entity, expected, deposits.Select(d => codec.Encode(d)));
            written += count;
            if (snapshotEvery is { } every && written % every == 0)
            {
                var (type, data) = codec.EncodeState(state);
                batch.SaveSnapshot(Entity, written - 1, type, data);
            }

            await store.CommitAsync(batch, cancellationToken);
        }
    }
}
