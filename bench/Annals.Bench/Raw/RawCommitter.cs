using System.Runtime.InteropServices;
using Annals.Storage;
using Microsoft.Data.Sqlite;

namespace Annals.Bench.Raw;

/// <summary>
/// One connection's prepared statements: BEGIN IMMEDIATE, one INSERT per event (the same
/// columns the store writes; SQLite assigns the position), COMMIT. Not thread-safe.
/// </summary>
internal sealed class RawCommitter : IDisposable
{
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _id = new() { ParameterName = "$id" };
    private readonly SqliteParameter _stream = new() { ParameterName = "$stream" };
    private readonly SqliteParameter _revision = new() { ParameterName = "$revision" };
    private readonly SqliteParameter _type = new() { ParameterName = "$type" };
    private readonly SqliteParameter _data = new() { ParameterName = "$data" };
    private readonly SqliteParameter _metadata = new() { ParameterName = "$metadata", Value = DBNull.Value };
    private readonly SqliteParameter _timestamp = new() { ParameterName = "$timestamp" };

    public RawCommitter(SqliteConnection connection)
    {
        Connection = connection;
        _begin = Command("BEGIN IMMEDIATE;");
        _commit = Command("COMMIT;");
        _rollback = Command("ROLLBACK;");
        _insert = Command("INSERT INTO events (event_id, stream, revision, type, data, metadata, timestamp) VALUES ($id, $stream, $revision, $type, $data, $metadata, $timestamp);");
        _insert.Parameters.AddRange(new[] { _id, _stream, _revision, _type, _data, _metadata, _timestamp });
        _insert.Prepare();
    }

    public SqliteConnection Connection { get; }

    /// <summary>Writes events at consecutive revisions of a stream in one transaction.</summary>
    public void Commit(string stream, long firstRevision, EventData[] events)
    {
        _begin.ExecuteNonQuery();
        try
        {
            Insert(stream, firstRevision, events, TimeProvider.System.GetUtcNow().UtcTicks);
            _commit.ExecuteNonQuery();
        }
        catch
        {
            _rollback.ExecuteNonQuery();
            throw;
        }
    }

    /// <summary>Writes several streams' events in one transaction (preparing a store to read).</summary>
    public void Commit(IEnumerable<(string Stream, EventData[] Events)> appends)
    {
        _begin.ExecuteNonQuery();
        try
        {
            var ticks = TimeProvider.System.GetUtcNow().UtcTicks;
            foreach (var (stream, events) in appends)
            {
                Insert(stream, 0, events, ticks);
            }

            _commit.ExecuteNonQuery();
        }
        catch
        {
            _rollback.ExecuteNonQuery();
            throw;
        }
    }

    public void Dispose()
    {
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _insert.Dispose();
    }

    private void Insert(string stream, long firstRevision, EventData[] events, long ticks)
    {
        _stream.Value = stream;
        _timestamp.Value = ticks;
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            _id.Value = e.EventId.ToByteArray();
            _revision.Value = firstRevision + i;
            _type.Value = e.Type;
            _data.Value = ArrayOf(e.Data);
            _insert.ExecuteNonQuery();
        }
    }

    private static byte[] ArrayOf(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private SqliteCommand Command(string sql)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
