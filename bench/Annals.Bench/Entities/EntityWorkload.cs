using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;
using Annals.Entities;

namespace Annals.Bench.Entities;

/// <summary>
/// <c>entity</c>: A entities, each with one sender sending deposits one after another (await the reply, then send the
/// next); each deposit persists one event. The entities live on one engine, on several engines that share the store
/// (as several processes would), or on Orleans silos as grains; senders take the engines or silos in turn. With
/// <c>--hot</c> every sender commands the same entity. Entities are live (recovered) before measuring, so the measured
/// commands are decide, append and fold on a state held in memory. Counts commands, one event each, and the commands
/// that lost a race to another engine.
/// </summary>
internal static class EntityWorkload
{
    public static async Task<BenchResult> RunAsync(EntitySettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        await using IEntityHosts hosts = settings.Silos > 0
            ? await OrleansSilos.StartAsync(store, settings.Silos, settings.SnapshotEvery)
            : await LocalEngines.StartAsync(store, settings.Engines, settings.SnapshotEvery);
        var senders = Enumerable.Range(0, settings.Entities)
            .Select(e => new EntitySender(e, settings.Hot ? 0 : e, Math.Max(common.Warmup, 1), (common.Events / settings.Entities) + (e < common.Events % settings.Entities ? 1 : 0)))
            .ToArray();
        ICommandSender Via(int sender) => hosts.Senders[sender % hosts.Senders.Count];

        // At least one command each, so every entity is live before measuring.
        Report.Progress($"{common.Store} ({hosts.Name}): warming up {senders.Length} senders with {Math.Max(common.Warmup, 1)} commands each");
        await Task.WhenAll(senders.Select((s, i) => s.WarmUpAsync(Via(i), cancellationToken)));

        var snapshots = settings.SnapshotEvery is { } every ? $", a snapshot every {every} events" : ", no snapshots";
        Report.Progress($"{common.Store}: {senders.Length} entities handle {common.Events} commands{snapshots}");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = senders.Select((s, i) => Task.Run(() => s.RunAsync(Via(i), start.Task, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult();
        await Task.WhenAll(running);
        var span = measurement.Stop();

        var conflicts = senders.Sum(s => s.Conflicts);
        Report.Progress($"{hosts.Name}: {conflicts} commands lost a race to another engine twice and were sent again");
        return Results.Create(common, span, common.Events, database.Description, Latencies.MergeSorted(senders.Select(s => s.Latencies)), streams: settings.Hot ? 1 : settings.Entities, snapshotEvery: settings.SnapshotEvery) with
        {
            EntityHosts = hosts.Name,
            Conflicts = conflicts,
            ConflictRate = Math.Round((double)conflicts / common.Events, 4),
        };
    }
}
