using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;

namespace Annals.Bench.Raw;

/// <summary>One writer thread of raw-append: the same plan as a store writer, one transaction per commit.</summary>
internal sealed class RawWriter(WriterPlan plan, RawCommitter committer, Lock? gate) : IRawWriter
{
    private readonly string[] _streams = [.. plan.Streams.Select(s => s.Value)];
    private readonly long[] _lastRevisions = new long[plan.Streams.Length];
    private int _next;

    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Picks up where earlier runs left the streams (with --db).</summary>
    public void LoadRevisions()
    {
        using var command = committer.Connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(revision), -1) FROM events WHERE stream = $stream;";
        var stream = command.Parameters.Add("$stream", Microsoft.Data.Sqlite.SqliteType.Text);
        for (var k = 0; k < _streams.Length; k++)
        {
            stream.Value = _streams[k];
            _lastRevisions[k] = (long)command.ExecuteScalar()!;
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

    private void Commit(EventData[] events)
    {
        var k = _next++ % _streams.Length;
        if (gate is null)
        {
            committer.Commit(_streams[k], _lastRevisions[k] + 1, events);
        }
        else
        {
            lock (gate)
            {
                committer.Commit(_streams[k], _lastRevisions[k] + 1, events);
            }
        }

        _lastRevisions[k] += events.Length;
    }
}
