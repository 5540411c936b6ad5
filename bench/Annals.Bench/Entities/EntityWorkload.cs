using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Entities;

/// <summary>
/// <c>entity</c>: A entities on one engine, each with one sender sending deposits one after another (await the reply,
/// then send the next); each deposit persists one event. Entities are live (recovered) before measuring, so the
/// measured commands are decide, append and fold on a state held in memory. Counts commands, one event each.
/// </summary>
internal static class EntityWorkload
{
    public static async Task<BenchResult> RunAsync(EntitySettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        await using var engine = await AccountEngine.StartAsync(store, settings.SnapshotEvery);
        var senders = Enumerable.Range(0, settings.Entities)
            .Select(e => new EntitySender(e, Math.Max(common.Warmup, 1), (common.Events / settings.Entities) + (e < common.Events % settings.Entities ? 1 : 0)))
            .ToArray();

        // At least one command each, so every entity is live before measuring.
        Report.Progress($"{common.Store}: warming up {senders.Length} entities with {Math.Max(common.Warmup, 1)} commands each");
        await Task.WhenAll(senders.Select(s => s.WarmUpAsync(engine, cancellationToken)));

        var snapshots = settings.SnapshotEvery is { } every ? $", a snapshot every {every} events" : ", no snapshots";
        Report.Progress($"{common.Store}: {senders.Length} entities handle {common.Events} commands{snapshots}");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = senders.Select(s => Task.Run(() => s.RunAsync(engine, start.Task, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult();
        await Task.WhenAll(running);
        var span = measurement.Stop();

        return Results.Create(common, span, common.Events, database.Description, Latencies.MergeSorted(senders.Select(s => s.Latencies)), streams: settings.Entities, snapshotEvery: settings.SnapshotEvery);
    }
}
