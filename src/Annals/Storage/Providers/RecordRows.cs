using System.Data.Common;

namespace Annals.Storage.Providers;

/// <summary>
/// Makes snapshots, durable states and queue messages of SQL rows, each read from the columns its
/// constant names, in that order. Ids are <see cref="Guid"/>s or their 16 bytes; times are UTC ticks.
/// </summary>
public static class RecordRows
{
    /// <summary>The columns a snapshot is read from, in order.</summary>
    public const string SnapshotColumns = "revision, type, data, timestamp";

    /// <summary>The columns a durable state is read from, in order.</summary>
    public const string StateColumns = "version, type, data, timestamp";

    /// <summary>The columns a queue message is read from, in order.</summary>
    public const string QueueMessageColumns = "message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at";

    /// <summary>The columns a new queue message is inserted into, in the order of <see cref="QueueMessageValues"/>.</summary>
    public const string QueueMessageInsertColumns = "queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence";

    /// <summary>The values of a new queue message's row, in the order of <see cref="QueueMessageInsertColumns"/>.</summary>
    /// <param name="key">The message's queue and id.</param>
    /// <param name="row">The message to insert.</param>
    /// <param name="messageId">The id as the backend stores it (a <see cref="Guid"/>, or its bytes).</param>
    /// <returns>The values; <see cref="DBNull.Value"/> for none.</returns>
    public static object[] QueueMessageValues(MessageKey key, MessageInsert row, object messageId)
    {
        ArgumentNullException.ThrowIfNull(row);
        var enqueue = row.Enqueue;
        return
        [
            key.Queue,
            messageId,
            enqueue.Type,
            enqueue.Data.ToArray(),
            (object?)MetadataJson.Encode(enqueue.Metadata) ?? DBNull.Value,
            row.DueAt.UtcTicks,
            row.FailureCount,
            (object?)row.LastError ?? DBNull.Value,
            row.Revision,
            row.EnqueuedAt.UtcTicks,
            row.Sequence,
        ];
    }

    /// <summary>Reads the current row as the snapshot of <paramref name="stream"/>.</summary>
    /// <param name="reader">A reader on a row of <see cref="SnapshotColumns"/>.</param>
    /// <param name="stream">The stream the snapshot belongs to.</param>
    /// <returns>The snapshot.</returns>
    public static Snapshot Snapshot(DbDataReader reader, StreamName stream)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new Snapshot(stream, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), Time(reader.GetInt64(3)));
    }

    /// <summary>Reads the current row as the durable state of <paramref name="key"/>.</summary>
    /// <param name="reader">A reader on a row of <see cref="StateColumns"/>.</param>
    /// <param name="key">The state's key.</param>
    /// <returns>The state.</returns>
    public static DurableState State(DbDataReader reader, StreamName key)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new DurableState(key, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), Time(reader.GetInt64(3)));
    }

    /// <summary>Reads the current row as a message of <paramref name="queue"/>.</summary>
    /// <param name="reader">A reader on a row of <see cref="QueueMessageColumns"/>.</param>
    /// <param name="queue">The message's queue.</param>
    /// <returns>The message.</returns>
    public static QueueMessage QueueMessage(DbDataReader reader, string queue)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new QueueMessage(
            queue,
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetFieldValue<byte[]>(2),
            MetadataJson.Decode(reader.IsDBNull(3) ? null : reader.GetString(3)),
            Time(reader.GetInt64(4)),
            reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7),
            Time(reader.GetInt64(8)));
    }

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
