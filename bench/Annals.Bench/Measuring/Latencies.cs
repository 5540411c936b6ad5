using System.Diagnostics;

namespace Annals.Bench.Measuring;

/// <summary>Commit latencies of one writer; merged across writers for percentiles.</summary>
internal sealed class Latencies(int capacity)
{
    private readonly List<double> _milliseconds = new(capacity);

    public int Count => _milliseconds.Count;

    public void Add(long startTimestamp) => _milliseconds.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public static double[] MergeSorted(IEnumerable<Latencies> all)
    {
        var merged = all.SelectMany(l => l._milliseconds).ToArray();
        Array.Sort(merged);
        return merged;
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(double[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Length - 1)], 3);
    }
}
