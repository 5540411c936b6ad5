using Annals.Bench.Measuring;

namespace Annals.Bench.Reporting;

/// <summary>Turns a measured span and its counts into the result line.</summary>
internal static class Results
{
    public static BenchResult Create(BenchSettings settings, MeasuredSpan span, long events, string database, double[]? sortedLatencies = null, long? streams = null, long? dataBytes = null, int? snapshotEvery = null)
    {
        var seconds = Math.Max(span.Seconds, 1e-9);
        long? commits = sortedLatencies?.Length;
        return new BenchResult
        {
            Workload = settings.Workload,
            Store = settings.Store,
            Writers = settings.Writers,
            Batch = settings.Batch > 0 ? settings.Batch : null,
            Events = events,
            Seconds = Math.Round(span.Seconds, 4),
            EventsPerSec = Math.Round(events / seconds, 1),
            Commits = commits,
            CommitsPerSec = commits is { } c ? Math.Round(c / seconds, 1) : null,
            P50Ms = sortedLatencies is null ? null : Latencies.Percentile(sortedLatencies, 0.50),
            P90Ms = sortedLatencies is null ? null : Latencies.Percentile(sortedLatencies, 0.90),
            P99Ms = sortedLatencies is null ? null : Latencies.Percentile(sortedLatencies, 0.99),
            MaxMs = sortedLatencies is null ? null : Latencies.Percentile(sortedLatencies, 1.0),
            AllocatedBytes = span.AllocatedBytes,
            AllocatedBytesPerEvent = events == 0 ? 0 : Math.Round((double)span.AllocatedBytes / events, 1),
            CpuSeconds = Math.Round(span.CpuSeconds, 3),
            Gen0Collections = span.Gen0,
            Gen1Collections = span.Gen1,
            Gen2Collections = span.Gen2,
            Streams = streams,
            DataBytes = dataBytes,
            Durability = settings.Backend == "memory" ? "none" : settings.Durability,
            Sharing = settings.Workload == "raw-append" ? settings.RawSharing : null,
            Mode = settings.Workload == "raw-append" ? settings.RawMode : null,
            SnapshotEvery = snapshotEvery,
            Database = database,
            Cores = Environment.ProcessorCount,
            Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
