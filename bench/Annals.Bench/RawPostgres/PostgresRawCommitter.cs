using System.Runtime.InteropServices;
using Annals.Storage;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>
/// One connection that writes commits of events, one transaction each; the subclasses differ in
/// how the rows travel (<c>--mode</c>). The connection stays its owner's to dispose. Not thread-safe.
/// </summary>
internal abstract class PostgresRawCommitter : IDisposable
{
    protected PostgresRawCommitter(NpgsqlConnection connection, string schema)
    {
        Connection = connection;
        Schema = schema;
    }

    public NpgsqlConnection Connection { get; }

    protected string Schema { get; }

    public static PostgresRawCommitter Create(string mode, NpgsqlConnection connection, string schema) => mode switch
    {
        "per-commit" => new PostgresPerEventInserts(connection, schema),
        "batched" => new PostgresArrayInsert(connection, schema),
        "copy" => new PostgresBinaryCopy(connection, schema),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown raw mode."),
    };

    /// <summary>Writes events at consecutive revisions of a stream and consecutive positions, in one transaction.</summary>
    public void Commit(string stream, long firstRevision, long firstPosition, EventData[] events)
    {
        using var transaction = Connection.BeginTransaction();
        Write([new RawAppend(stream, firstRevision, firstPosition, events)], TimeProvider.System.GetUtcNow().UtcTicks);
        transaction.Commit();
    }

    /// <summary>Writes several appends in one transaction (preparing a store to read).</summary>
    public void Commit(IReadOnlyList<RawAppend> appends)
    {
        using var transaction = Connection.BeginTransaction();
        Write(appends, TimeProvider.System.GetUtcNow().UtcTicks);
        transaction.Commit();
    }

    public virtual void Dispose()
    {
    }

    /// <summary>Sends the rows inside the open transaction.</summary>
    protected abstract void Write(IReadOnlyList<RawAppend> appends, long ticks);

    /// <summary>The event's data as an array, without a copy when it already is one.</summary>
    protected static byte[] ArrayOf(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();
}
