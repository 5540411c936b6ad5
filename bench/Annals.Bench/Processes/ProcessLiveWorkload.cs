using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Projections;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;

namespace Annals.Bench.Processes;

/// <summary>
/// <c>process --rate R</c>: the process runs, caught up, on an empty store while W appenders append N single-event
/// commits at R events/s, as <c>project --mode live</c> does. Each event's latency is from its append returning to its
/// appender to the delivery of its step's command to the handler, on one <see cref="Stopwatch"/>; progress also shows
/// the latency to the step and to the commit of its batch.
/// </summary>
internal static class ProcessLiveWorkload
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<BenchResult> RunAsync(ProcessSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var store = await StoreFactory.OpenAsync(common, database, cancellationToken);
        if (await store.GetHeadPositionAsync(cancellationToken) > 0)
        {
            throw new InvalidOperationException("process --rate starts at an empty store, and this database holds events: leave out --db or --schema.");
        }

        var (appenders, events) = PacedAppender.ForAll(common.Writers, common.Events, common.Warmup);
        var deliveries = new DeliveryTimes([.. events.Select(e => e.EventId)]);
        var expected = common.Events + ((long)common.Warmup * appenders.Length);
        var name = ProcessSettings.ProcessName;
        using var commits = new CheckpointCommits(ProcessCatchUpWorkload.ProcessNamesOf(name), deliveries.Committed);
        using var failures = new ProcessFailures(name);
        var delivered = new DeliveredCommands(expected, deliveries);
        await using var host = ProcessRun.Host(store, name, new BenchProcess(deliveries.Stepped), delivered, settings.Options);
        await host.StartAsync(cancellationToken);

        Report.Progress($"{common.Store}: warming up {appenders.Length} appenders with {common.Warmup} events each");
        await Task.WhenAll(appenders.Select(a => a.WarmUpAsync(store, cancellationToken)));
        await ProcessRun.ReachAsync(host, name, failures, await store.GetHeadPositionAsync(cancellationToken), cancellationToken);

        Report.Progress($"{common.Store}: {appenders.Length} appenders append {common.Events} events at {settings.Rate}/s, one per commit; the process follows (poll interval {settings.PollInterval.TotalMilliseconds} ms)");
        var start = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = appenders.Select(a => Task.Run(() => a.RunAsync(store, start.Task, settings.Rate, deliveries, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult(Stopwatch.GetTimestamp());
        await Task.WhenAll(running);
        var span = measurement.Stop();

        using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            patience.CancelAfter(Patience);
            await ProcessRun.UntilAsync(host, name, failures, delivered.All, patience.Token);
            await ProcessRun.ReachAsync(host, name, failures, expected, patience.Token);
        }

        var status = await ProcessRun.SettledStatusAsync(host, name, cancellationToken);
        await host.StopAsync(cancellationToken);
        var head = await store.GetHeadPositionAsync(cancellationToken);
        if (head != expected || delivered.Count != expected || deliveries.Missing > 0 || deliveries.Undelivered > 0 || status.PendingCommands != 0 || status.PendingTimeouts != expected || status.Parked != 0)
        {
            throw new InvalidOperationException($"The head is {head}, {delivered.Count} commands were delivered, {deliveries.Missing} measured events were not seen stepped and committed, {deliveries.Undelivered} not delivered, {status.PendingCommands} commands pending, {status.PendingTimeouts} timeouts pending, {status.Parked} parked; expected {expected} of everything delivered and {expected} timeouts pending.");
        }

        Describe(common.Store, deliveries, appenders);
        var result = Results.Create(common, span, common.Events, database.Description, deliveries.AckToDelivered());
        return result with
        {
            Mode = settings.Mode,
            ProjectionBatchSize = settings.BatchSize,
            ProjectionCatchUpBatchSize = new Annals.Projections.ProjectionOptions().CatchUpBatchSize,
            TargetRate = settings.Rate,
            PollIntervalMs = settings.PollInterval.TotalMilliseconds,
        };
    }

    private static void Describe(string store, DeliveryTimes deliveries, PacedAppender[] appenders)
    {
        Report.Progress($"{store}: append returned → command delivered to the handler: {ProjectLiveWorkload.Percentiles(deliveries.AckToDelivered())} ms ({deliveries.DeliveredBeforeAck} delivered before their append returned, counted as 0)");
        Report.Progress($"{store}: append returned → step handed the event: {ProjectLiveWorkload.Percentiles(deliveries.AckToHandled())} ms ({deliveries.HandledBeforeAck} before their append returned, counted as 0)");
        Report.Progress($"{store}: append returned → step committed with the checkpoint: {ProjectLiveWorkload.Percentiles(deliveries.AckToCommitted())} ms");
        var lateness = appenders.SelectMany(a => a.Lateness).Order().ToArray();
        Report.Progress($"{store}: events went out after their due time by {ProjectLiveWorkload.Percentiles(lateness)} ms (the appenders fell behind when this grows)");
    }
}
