using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;
using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// <c>project --mode catch-up</c>: prepare a store as the read workloads do (not measured; on PostgreSQL followed by
/// VACUUM ANALYZE), reopen it cold, warm up, then measure one projection from position 0 until the commit of its
/// checkpoint at the head, and check that the read model counted every event.
/// </summary>
/// <remarks>
/// The end is seen through <see cref="CheckpointWatch"/>, not <see cref="Annals.Projections.ProjectionHost.WaitForPositionAsync"/>:
/// that method reads the store each time the projection advances (is any event left before the position?), and on
/// PostgreSQL those reads, one per batch, made the measured projection 30–45% slower.
/// </remarks>
internal static class ProjectCatchUpWorkload
{
    private const int WarmUpEvents = 1000;

    private static readonly CountsTable WarmUpTable = new("bench_project_warm_up");

    public static async Task<BenchResult> RunAsync(ProjectSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        var store = await StorePreparer.OpenFilledAsync(common, database, always: true, cancellationToken);
        try
        {
            var head = await store.GetHeadPositionAsync(cancellationToken);
            await WarmUpAsync(store, settings.Options, Math.Min(head, WarmUpEvents), common.Warmup, cancellationToken);

            var table = CountsTable.Measured;
            await table.RecreateAsync(store, ProjectSettings.ProjectionName, cancellationToken);
            var batches = 0;
            var watch = new CheckpointWatch(head);
            using var commits = new CheckpointCommits(ProjectSettings.ProjectionName, watch.Committed);
            var projection = new CountingProjection(table, events =>
            {
                batches++;
                watch.Handed(events);
            });
            await using var host = ProjectionRun.Host(store, ProjectSettings.ProjectionName, projection, settings.Options);

            Report.Progress($"{common.Store}: projecting up to position {head}, {settings.BatchSize} events per batch, up to {settings.CatchUpBatchSize} while behind");
            var measurement = Measurement.Start();
            await host.StartAsync(cancellationToken);
            await ProjectionRun.UntilAsync(host, ProjectSettings.ProjectionName, watch.Reached, cancellationToken);
            var span = measurement.Stop();

            // Returns at once: the host has the position already, so it reads nothing.
            await host.WaitForPositionAsync(ProjectSettings.ProjectionName, head, cancellationToken);
            await host.StopAsync(cancellationToken);

            // A store holds positions 1..head, a freshly prepared one as a reused one: every one of them is counted.
            var totals = await table.ReadTotalsAsync(store, cancellationToken);
            var checkpoint = await store.ReadCheckpointAsync(ProjectSettings.ProjectionName, cancellationToken);
            if (totals.Events != head || totals.LastPosition != head || checkpoint != head)
            {
                throw new InvalidOperationException($"The read model counted {totals.Events} events up to position {totals.LastPosition}, checkpoint {checkpoint}; expected {head} events up to position {head}.");
            }

            Report.Progress($"{common.Store}: the read model counted {totals.Events} events in {totals.Streams} streams, {batches} batches");
            var result = Results.Create(common, span, totals.Events, database.Description, streams: totals.Streams);
            return result with
            {
                Commits = batches,
                CommitsPerSec = Math.Round(batches / Math.Max(span.Seconds, 1e-9), 1),
                Mode = settings.Mode,
                ProjectionBatchSize = settings.BatchSize,
                ProjectionCatchUpBatchSize = settings.CatchUpBatchSize,
            };
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs the whole path (host, subscription, handler, SQL work, checkpoint commit) over the first events, each pass a
    /// new projection into a scratch table, until the JIT is quiet, as the read workloads warm up.
    /// </summary>
    private static async Task WarmUpAsync(IEventStore store, Annals.Projections.ProjectionOptions options, long upTo, int minimum, CancellationToken cancellationToken)
    {
        await WarmUpTable.RecreateAsync(store, projection: null, cancellationToken);

        // New names each run, so that a reused database's checkpoints from an earlier run do not skip the passes.
        var run = Guid.NewGuid().ToString("N")[..8];
        var pass = 0;
        await JitWarmUp.RepeatAsync(minimum, async () =>
        {
            var name = $"bench-warm-up-{run}-{pass++}";
            await using var host = ProjectionRun.Host(store, name, new CountingProjection(WarmUpTable), options);
            await host.StartAsync(cancellationToken);
            await ProjectionRun.ReachAsync(host, name, upTo, cancellationToken);
        });
        await WarmUpTable.DropAsync(store, cancellationToken);
    }
}
