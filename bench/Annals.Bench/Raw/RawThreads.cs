using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Annals.Bench.Measuring;

namespace Annals.Bench.Raw;

/// <summary>Runs raw writers on dedicated threads: all warm up, then start together; the time runs until the last one ends.</summary>
internal static class RawThreads
{
    public static MeasuredSpan Run(IReadOnlyList<IRawWriter> writers)
    {
        var failures = new ConcurrentQueue<Exception>();
        using var warmed = new CountdownEvent(writers.Count);
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
