using System.Diagnostics;
using System.Runtime;
using Annals.Bench.Reporting;

namespace Annals.Bench.Measuring;

/// <summary>
/// Repeats a warm-up pass until the JIT has been quiet for a while. Tiered compilation first runs
/// methods unoptimised and recompiles the hot ones in the background, some time after they got
/// hot; a read of 100,000 events takes well under a second, so one that starts before that is
/// over measures the JIT as much as the reads (figures then vary by 2× from run to run).
/// </summary>
internal static class JitWarmUp
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="pass"/> at least <paramref name="minimum"/> times, then until no method was compiled for half a second (at most 20 seconds); none at all when the minimum is 0.</summary>
    public static async Task RepeatAsync(int minimum, Func<Task> pass)
    {
        if (minimum == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var compiled = JitInfo.GetCompiledMethodCount();
        var quietSince = started;
        var passes = 0;
        while (passes < minimum || (Stopwatch.GetElapsedTime(quietSince) < Quiet && Stopwatch.GetElapsedTime(started) < Limit))
        {
            await pass();
            passes++;
            var now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quietSince = Stopwatch.GetTimestamp();
            }
        }

        Report.Progress($"warm-up: {passes} passes in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, until the JIT was quiet for {Quiet.TotalMilliseconds:0} ms");
    }

    /// <summary>The same for synchronous passes.</summary>
    public static void Repeat(int minimum, Action pass) =>
        RepeatAsync(minimum, () =>
        {
            pass();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
}
