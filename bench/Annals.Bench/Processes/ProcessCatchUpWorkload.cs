using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Projections;
using Annals.Bench.Reporting;
using Annals.Bench.Workloads;
using Annals.Processes;
using Annals.Storage;

namespace Annals.Bench.Processes;

/// <summary>
/// <c>process</c> (catch-up): the store is prepared as for <c>project</c> (not measured; on PostgreSQL followed by VACUUM
/// ANALYZE) and reopened cold; after a warm-up, one process runs from position 0, each event starting an instance that
/// stores its state, sends one command and schedules one timeout. Measured from <see cref="ProcessHost.StartAsync"/>
/// until <see cref="ProcessHost.WaitForPositionAsync"/> sees the checkpoint at the head; the time until every command
/// was delivered to its handler is reported beside it.
/// </summary>
internal static class ProcessCatchUpWorkload
{
    private const int WarmUpEvents = 1000;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    public static async Task<BenchResult> RunAsync(ProcessSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        var store = await StorePreparer.OpenFilledAsync(common, database, always: true, cancellationToken);
        try
        {
            var head = await store.GetHeadPositionAsync(cancellationToken);
            await WarmUpAsync(store, settings.Options, common, cancellationToken);
            await ProcessTables.ClearAsync(store, cancellationToken);
            if (common.IsPostgres)
            {
                PostgresMaintenance.Vacuum(database, "states", "queue_messages", "checkpoints");
            }
            var name = ProcessSettings.ProcessName;
            var batches = 0;
            var times = new BatchTimes();
            using var commits = new CheckpointCommits(ProcessNamesOf(name), () =>
            {
                batches++;
                times.Committed();
            });
            using var failures = new ProcessFailures(name);
            var delivered = new DeliveredCommands(head);
            await using var host = ProcessRun.Host(store, name, new BenchProcess(_ => times.Stepped()), delivered, settings.Options);

            Report.Progress($"{common.Store}: the process handles every event up to position {head}, {settings.BatchSize} events per batch (4096 while behind); each starts an instance, sends a command and schedules a timeout");
            var started = Stopwatch.GetTimestamp();
            var measurement = Measurement.Start();
            await host.StartAsync(cancellationToken);
            await ProcessRun.ReachAsync(host, name, failures, head, cancellationToken);
            var span = measurement.Stop();
            Report.Progress($"{common.Store}: checkpoint at the head after {span.Seconds:0.000} s, {batches} batches; {delivered.Count} of {head} commands delivered by then");
            Report.Progress($"{common.Store}: in the batches, {times.Stepping.TotalSeconds:0.000} s from each first step to its last (decoding, routing, loading each instance, stepping), {times.Committing.TotalSeconds:0.000} s from the last step to the commit's return (writing states, commands and timeouts, committing)");

            using (var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                patience.CancelAfter(Patience);
                await ProcessRun.UntilAsync(host, name, failures, delivered.All, patience.Token);
            }

            var deliveredSeconds = Stopwatch.GetElapsedTime(started, delivered.CompletedAt).TotalSeconds;
            Report.Progress($"{common.Store}: every command delivered {deliveredSeconds:0.000} s after the start ({head / Math.Max(deliveredSeconds, 1e-9):0} commands/s)");

            var status = await ProcessRun.SettledStatusAsync(host, name, cancellationToken);
            await host.StopAsync(cancellationToken);
            var checkpoint = await store.ReadCheckpointAsync(ProcessNamesOf(name), cancellationToken);
            if (checkpoint != head || delivered.Count != head || status.PendingCommands != 0 || status.PendingTimeouts != head || status.Parked != 0)
            {
                throw new InvalidOperationException($"The process's checkpoint is {checkpoint}, {delivered.Count} commands were delivered, {status.PendingCommands} are pending, {status.PendingTimeouts} timeouts pending, {status.Parked} parked; expected the checkpoint at {head}, {head} commands delivered and none pending, {head} timeouts pending.");
            }

            Report.Progress($"{common.Store}: {head} instances, {status.PendingTimeouts} timeouts stored, none parked");
            var result = Results.Create(common, span, head, database.Description);
            return result with
            {
                Commits = batches,
                CommitsPerSec = Math.Round(batches / Math.Max(span.Seconds, 1e-9), 1),
                Mode = settings.Mode,
                ProjectionBatchSize = settings.BatchSize,
                ProjectionCatchUpBatchSize = new Annals.Projections.ProjectionOptions().CatchUpBatchSize,
                DeliveredSeconds = Math.Round(deliveredSeconds, 4),
                PollIntervalMs = settings.PollInterval.TotalMilliseconds,
            };
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>The name of the projection that feeds a process, and of its checkpoint: <c>process:&lt;name&gt;</c>.</summary>
    public static string ProcessNamesOf(string process) => "process:" + process;

    /// <summary>
    /// Runs the whole path (host, projection, steps, commit of states, commands and timeouts, deliveries) over the first
    /// streams of the prepared layout (about 1000 events), each pass a new process, until the JIT is quiet, as
    /// <c>project</c> warms up; each pass waits for its last command's delivery.
    /// </summary>
    private static async Task WarmUpAsync(IEventStore store, ProcessOptions options, BenchSettings common, CancellationToken cancellationToken)
    {
        var head = await store.GetHeadPositionAsync(cancellationToken);
        var streams = Math.Max(1, WarmUpEvents / common.StreamSize);
        var filter = EventFilter.ForStreams(Enumerable.Range(0, streams).Select(StreamNames.Prepared));

        // New names each run, so that a reused database's checkpoints from an earlier run do not skip the passes.
        var run = Guid.NewGuid().ToString("N")[..8];
        var pass = 0;
        await JitWarmUp.RepeatAsync(common.Warmup, async () =>
        {
            var name = $"{ProcessTables.Prefix}warm-up-{run}-{pass++}";
            var steps = 0L;
            var delivered = new DeliveredCommands(long.MaxValue);
            using var failures = new ProcessFailures(name);
            await using var host = ProcessRun.Host(store, name, new BenchProcess(_ => steps++, filter), delivered, options);
            await host.StartAsync(cancellationToken);
            await ProcessRun.ReachAsync(host, name, failures, head, cancellationToken);
            while (delivered.Count < steps)
            {
                await Task.Delay(1, cancellationToken);
            }
        });
    }
}
