using System.Diagnostics;
using System.Globalization;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Projections;

/// <summary>
/// <c>project --mode live</c>: the projection runs, caught up, on an empty store while W appenders append N single-event
/// commits at a set rate. Each event's latency is from its append returning to its appender to its hand-over to the
/// projection's handler, on one <see cref="Stopwatch"/>; progress also shows the latency to the
/// batch's checkpoint commit and from the event's store timestamp. The rate reported is the one achieved.
/// </summary>
/// <remarks>
/// The end is seen through <see cref="CheckpointWatch"/>, which counts the host's checkpoint commits, rather than
/// <see cref="Annals.Projections.ProjectionHost.WaitForPositionAsync"/>, which reads the store: no read of the store
/// competes with the delivery of the last measured events.
/// </remarks>
internal static class ProjectLiveWorkload
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<BenchResult> RunAsync(ProjectSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        if (await store.GetHeadPositionAsync(cancellationToken) > 0)
        {
            throw new InvalidOperationException("project --mode live starts at an empty store, and this database holds events: leave out --db or --schema.");
        }

        var (appenders, events) = PacedAppender.ForAll(common.Writers, common.Events, common.Warmup);
        var deliveries = new DeliveryTimes([.. events.Select(e => e.EventId)]);

        // The store starts empty and each event takes the next position (the head is checked at the end), so the last
        // event's position is known before it is appended.
        var expected = common.Events + ((long)common.Warmup * appenders.Length);
        var watch = new CheckpointWatch(expected);
        var table = CountsTable.Measured;
        await table.RecreateAsync(store, ProjectSettings.ProjectionName, cancellationToken);
        using var commits = new CheckpointCommits(ProjectSettings.ProjectionName, () =>
        {
            deliveries.Committed();
            watch.Committed();
        });
        var projection = new CountingProjection(table, handed =>
        {
            deliveries.Handled(handed);
            watch.Handed(handed);
        });
        await using var host = ProjectionRun.Host(store, ProjectSettings.ProjectionName, projection, settings.Options);
        await host.StartAsync(cancellationToken);

        Report.Progress($"{common.Store}: warming up {appenders.Length} appenders with {common.Warmup} events each");
        await Task.WhenAll(appenders.Select(a => a.WarmUpAsync(store, cancellationToken)));
        await ProjectionRun.ReachAsync(host, ProjectSettings.ProjectionName, await store.GetHeadPositionAsync(cancellationToken), cancellationToken);

        Report.Progress($"{common.Store}: {appenders.Length} appenders append {common.Events} events at {settings.Rate}/s, one per commit; the projection follows");
        var start = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = appenders.Select(a => Task.Run(() => a.RunAsync(store, start.Task, settings.Rate, deliveries, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult(Stopwatch.GetTimestamp());
        await Task.WhenAll(running);
        var span = measurement.Stop();

        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            patience.CancelAfter(Patience);
            await ProjectionRun.UntilAsync(host, ProjectSettings.ProjectionName, watch.Reached, patience.Token);
        }

        await host.StopAsync(cancellationToken);
        var head = await store.GetHeadPositionAsync(cancellationToken);
        var totals = await table.ReadTotalsAsync(store, cancellationToken);
        if (totals.Events != expected || head != expected || deliveries.Missing > 0)
        {
            throw new InvalidOperationException($"The read model counted {totals.Events} events, the head is {head}, {deliveries.Missing} measured events were not seen handed over and committed; expected {expected} counted.");
        }

        Describe(common.Store, deliveries, appenders);
        var result = Results.Create(common, span, common.Events, database.Description, deliveries.AckToHandled(), streams: totals.Streams);
        return result with { Mode = settings.Mode, ProjectionBatchSize = settings.BatchSize, ProjectionCatchUpBatchSize = settings.CatchUpBatchSize, TargetRate = settings.Rate };
    }

    private static void Describe(string store, DeliveryTimes deliveries, PacedAppender[] appenders)
    {
        Report.Progress($"{store}: append returned → handed to the handler: {Percentiles(deliveries.AckToHandled())} ms ({deliveries.HandledBeforeAck} events handed over before their append returned, counted as 0)");
        Report.Progress($"{store}: append returned → committed with the checkpoint: {Percentiles(deliveries.AckToCommitted())} ms");
        Report.Progress($"{store}: store timestamp (writer's clock when its group began) → handed to the handler: {Percentiles(deliveries.TimestampToHandled())} ms");
        var lateness = appenders.SelectMany(a => a.Lateness).Order().ToArray();
        Report.Progress($"{store}: events went out after their due time by {Percentiles(lateness)} ms (the appenders fell behind when this grows)");
    }

    internal static string Percentiles(double[] sorted) => string.Create(
        CultureInfo.InvariantCulture,
        $"p50 {Latencies.Percentile(sorted, 0.50)}, p90 {Latencies.Percentile(sorted, 0.90)}, p99 {Latencies.Percentile(sorted, 0.99)}, max {Latencies.Percentile(sorted, 1.0)}");
}
