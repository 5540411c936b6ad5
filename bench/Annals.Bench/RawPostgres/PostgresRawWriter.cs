using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Raw;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>One writer thread of raw-append on PostgreSQL: the same plan as a store writer, its own connection, one transaction per commit.</summary>
internal sealed class PostgresRawWriter(WriterPlan plan, PostgresRawCommitter committer, RawPositions positions, string schema) : IRawWriter
{
    private readonly string[] _streams = [.. plan.Streams.Select(s => s.Value)];
    private readonly long[] _lastRevisions = new long[plan.Streams.Length];
    private int _next;

    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Picks up where earlier runs left the streams (with --schema).</summary>
    public void LoadRevisions()
    {
        using var command = new NpgsqlCommand($"SELECT coalesce(max(revision), -1) FROM {schema}.events WHERE stream = $1", committer.Connection);
        var stream = new NpgsqlParameter<string>();
        command.Parameters.Add(stream);
        for (var k = 0; k < _streams.Length; k++)
        {
            stream.TypedValue = _streams[k];
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
        committer.Commit(_streams[k], _lastRevisions[k] + 1, positions.Take(events.Length), events);
        _lastRevisions[k] += events.Length;
    }
}
