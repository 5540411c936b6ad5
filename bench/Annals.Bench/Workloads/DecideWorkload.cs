using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>
/// <c>decide</c>: C callers, each sending commands one after another to its own streams; each command
/// is a <see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/>:
/// take the stream's state from the typed store's cache and read the events after it (with <c>--no-cache</c>: load it from a
/// snapshot, if any, and the events after it), decide, append one event with the exact expected revision. Serialization is System.Text.Json with reflection, the default; the state
/// type is registered (so a snapshot is looked for) only with <c>--snapshot-every</c>.
/// </summary>
internal static class DecideWorkload
{
    public static async Task<BenchResult> RunAsync(DecideSettings settings, CancellationToken cancellationToken)
    {
        var common = settings.Common;
        using var database = BenchDatabase.Open(common);
        await using var raw = await StoreFactory.OpenAsync(common, database, cancellationToken);
        var cache = settings.Cache ? DecisionCacheOptions.Default : DecisionCacheOptions.Disabled;
        var store = new TypedEventStore(raw, new EventCodec(AccountDecider.Registry(snapshots: settings.SnapshotEvery is not null)), cache: cache);
        var options = new DecideOptions { SnapshotEvery = settings.SnapshotEvery };
        var callers = DecidePlan.ForAll(settings).Select(plan => new DecideCaller(plan, options)).ToArray();

        Report.Progress($"{common.Store}: warming up {callers.Length} callers with {common.Warmup} commands each");
        await Task.WhenAll(callers.Select(c => c.WarmUpAsync(store, cancellationToken)));

        var snapshots = settings.SnapshotEvery is { } every ? $", a snapshot every {every} events" : ", no snapshots";
        var cached = settings.Cache ? ", states cached" : ", no cache";
        Report.Progress($"{common.Store}: {callers.Length} callers decide {common.Events} commands on {settings.Streams} streams{snapshots}{cached}");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = callers.Select(c => Task.Run(() => c.RunAsync(store, start.Task, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult();
        await Task.WhenAll(running);
        var span = measurement.Stop();

        var retries = callers.Sum(c => c.Retries);
        if (retries > 0)
        {
            Report.Progress($"{retries} decisions lost a race and were decided again; callers were meant to own their streams");
        }

        return Results.Create(common, span, common.Events, database.Description, Latencies.MergeSorted(callers.Select(c => c.Latencies)), streams: settings.Streams, snapshotEvery: settings.SnapshotEvery);
    }
}
