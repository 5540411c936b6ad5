using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;

namespace Annals.Bench.Raw;

/// <summary>
/// <c>raw-append</c>: the durable ceiling. W threads write the same plans as the append workload
/// with plain ADO.NET, one transaction (and one flush) per commit, sharing one connection under
/// a lock (<c>--sharing lock</c>) or each on its own connection with busy_timeout (<c>connections</c>).
/// </summary>
internal static class RawAppendWorkload
{
    public static Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => Run(settings), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        var shared = settings.RawSharing == "lock";
        var committers = new List<RawCommitter>();
        try
        {
            RawCommitter Committer()
            {
                if (shared && committers.Count > 0)
                {
                    return committers[0];
                }

                var connection = RawConnection.Open(database.Path, settings.IsDurable);
                RawSchema.EnsureCreated(connection);
                committers.Add(new RawCommitter(connection));
                return committers[^1];
            }

            var gate = shared ? new Lock() : null;
            var writers = WriterPlan.ForAll(settings).Select(plan => new RawWriter(plan, Committer(), gate)).ToArray();
            foreach (var writer in writers)
            {
                writer.LoadRevisions();
            }

            Report.Progress($"raw: {settings.Writers} writers ({settings.RawSharing}) warm up, then append {settings.Events} events, {settings.Batch} per commit");
            var span = RunThreads(writers);
            return Results.Create(settings, span, settings.Events, database.Description, Latencies.MergeSorted(writers.Select(w => w.Latencies)));
        }
        finally
        {
            foreach (var committer in committers)
            {
                committer.Dispose();
                committer.Connection.Dispose();
            }
        }
    }

    /// <summary>Warms every writer up, then starts them together and measures until the last one ends.</summary>
    private static MeasuredSpan RunThreads(RawWriter[] writers)
    {
        var failures = new ConcurrentQueue<Exception>();
        using var warmed = new CountdownEvent(writers.Length);
        using var start = new ManualResetEventSlim();
        var threads = writers.Select(writer => new Thread(() =>
        {
            try
            {
                writer.WarmUp();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
            finally
            {
                warmed.Signal();
            }

            start.Wait();
            try
            {
                writer.Run();
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        })).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        warmed.Wait();
        var measurement = Measurement.Start();
        start.Set();
        foreach (var thread in threads)
        {
            thread.Join();
        }

        var span = measurement.Stop();
        if (failures.TryDequeue(out var failure))
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        return span;
    }
}
