using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;

namespace Annals.Bench.Workloads;

/// <summary><c>append</c>: W writer tasks commit B events at a time to their own streams, all at once.</summary>
internal static class AppendWorkload
{
    public static async Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken)
    {
        using var database = BenchDatabase.Open(settings);
        await using var store = await StoreFactory.OpenAsync(settings, database, cancellationToken);
        var writers = WriterPlan.ForAll(settings).Select(plan => new StoreWriter(plan)).ToArray();
        foreach (var writer in writers)
        {
            await writer.LoadRevisionsAsync(store, cancellationToken);
        }

        Report.Progress($"{settings.Store}: warming up {settings.Writers} writers with {settings.Warmup} commits each");
        await Task.WhenAll(writers.Select(w => w.WarmUpAsync(store, cancellationToken)));

        Report.Progress($"{settings.Store}: {settings.Writers} writers append {settings.Events} events, {settings.Batch} per commit");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = writers.Select(w => Task.Run(() => w.RunAsync(store, start.Task, cancellationToken), cancellationToken)).ToArray();
        var measurement = Measurement.Start();
        start.SetResult();
        await Task.WhenAll(running);
        var span = measurement.Stop();

        return Results.Create(settings, span, settings.Events, database.Description, Latencies.MergeSorted(writers.Select(w => w.Latencies)));
    }
}
