using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Storage;

namespace Annals.Bench.Raw;

/// <summary>
/// A raw-append writer thread: follows a store writer's plan (streams in rotation, commits of B
/// events with the next revisions) and times each commit; the database work is the subclass's.
/// </summary>
internal abstract class PlannedRawWriter(WriterPlan plan) : IRawWriter
{
    private readonly string[] _streams = [.. plan.Streams.Select(s => s.Value)];
    private readonly long[] _lastRevisions = new long[plan.Streams.Length];
    private int _next;

    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Picks up where earlier runs left the streams (with --db or --schema).</summary>
    public void LoadRevisions()
    {
        for (var k = 0; k < _streams.Length; k++)
        {
            _lastRevisions[k] = ReadLastRevision(_streams[k]);
        }
    }

    public void WarmUp()
    {
        foreach (var events in plan.WarmUp)
        {
            Commit(events);
        }
    }

    public void Run()
    {
        foreach (var events in plan.Measured)
        {
            var started = Stopwatch.GetTimestamp();
            Commit(events);
            Latencies.Add(started);
        }
    }

    /// <summary>The stream's highest stored revision, or -1.</summary>
    protected abstract long ReadLastRevision(string stream);

    /// <summary>Stores the events in one transaction, from <paramref name="firstRevision"/> on.</summary>
    protected abstract void Commit(string stream, long firstRevision, EventData[] events);

    private void Commit(EventData[] events)
    {
        var k = _next++ % _streams.Length;
        Commit(_streams[k], _lastRevisions[k] + 1, events);
        _lastRevisions[k] += events.Length;
    }
}
