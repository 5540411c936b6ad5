using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Entities;

/// <summary>
/// <c>entity-recovery</c>: one entity of N events (with a snapshot every K events, or none). Each round opens the
/// store afresh, as a starting process would, starts a new engine and sends the entity a command that stores nothing;
/// the time to its reply is the recovery: the latest snapshot, if any, then the events after it, folded. The median
/// round is reported; <c>events</c> is the entity's length, so <c>events_per_sec</c> is the length over the time.
/// </summary>
internal static class EntityRecoveryWorkload
{
    public static async Task<BenchResult> RunAsync(RecoverySettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        if (common.Backend == "memory")
        {
            throw new InvalidOperationException("entity-recovery reopens the store for every round; the in-memory store would be empty.");
        }

        using var database = BenchDatabase.Open(common);
        var snapshots = settings.SnapshotEvery is { } every ? $"a snapshot every {every} events" : "no snapshots";
        Report.Progress($"{common.Store}: writing one entity of {common.Events} events, {snapshots}");
        await using (var store = await StoreFactory.OpenAsync(common, database, cancellationToken))
        {
            await RecoveryPreparer.PrepareAsync(store, common.Events, settings.SnapshotEvery, cancellationToken);
            if (common.IsPostgres)
            {
                // As the read baselines do: the planner gets statistics of the prepared tables.
                PostgresMaintenance.Vacuum(database, "events", "streams", "snapshots");
            }
        }

        if (common.Warmup > 0)
        {
            Report.Progress($"{common.Store}: one recovery to warm up");
            await RecoverAsync(common, database, settings.SnapshotEvery, cancellationToken);
        }

        var rounds = new List<MeasuredSpan>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            rounds.Add(await RecoverAsync(common, database, settings.SnapshotEvery, cancellationToken));
            Report.Progress($"{common.Store}: round {round + 1}: recovered in {rounds[^1].Seconds * 1000:F1} ms");
        }

        var median = rounds.OrderBy(r => r.Seconds).ElementAt(rounds.Count / 2);
        return Results.Create(common, median, common.Events, database.Description, streams: 1, snapshotEvery: settings.SnapshotEvery);
    }

    private static async Task<MeasuredSpan> RecoverAsync(BenchSettings common, BenchDatabase database, int? snapshotEvery, CancellationToken cancellationToken)
    {
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        await using var engine = await AccountEngine.StartAsync(store, snapshotEvery);
        var balance = new AccountCommand("acc-000000", 0m, "balance");
        var measurement = Measurement.Start();
        var reply = await engine.SendCommandAsync<AccountState>(RecoveryPreparer.Entity, balance, cancellationToken: cancellationToken);
        var span = measurement.Stop();
        if (reply.State.Events != common.Events || reply.Revision != common.Events - 1)
        {
            throw new InvalidOperationException($"The entity recovered {reply.State.Events} events at revision {reply.Revision}; {common.Events} were written.");
        }

        return span;
    }
}
