using System.Diagnostics;

namespace Annals.Bench.Measuring;

/// <summary>Wall time, CPU time, allocations and collections of the measured part of a run.</summary>
internal sealed class Measurement
{
    private readonly long _started;
    private readonly long _allocated;
    private readonly TimeSpan _cpu;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly int _gen2;

    private Measurement()
    {
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Collects the garbage of the preparation, so it is not paid for by the measured part, and starts.</summary>
    public static Measurement Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new Measurement();
    }

    public MeasuredSpan Stop()
    {
        var elapsed = Stopwatch.GetElapsedTime(_started);
        return new MeasuredSpan(
            elapsed.TotalSeconds,
            GC.GetTotalAllocatedBytes(precise: true) - _allocated,
            (Process.GetCurrentProcess().TotalProcessorTime - _cpu).TotalSeconds,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2);
    }
}
