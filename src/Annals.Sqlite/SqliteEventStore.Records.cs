using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    protected override ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT revision, type, data, timestamp FROM snapshots WHERE stream = $stream;";
            command.Parameters.AddWithValue("$stream", stream.Value);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new Snapshot(stream, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), Time(reader.GetInt64(3)))
                : null;
        });

    /// <inheritdoc />
    protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT version, type, data, timestamp FROM states WHERE key = $key;";
            command.Parameters.AddWithValue("$key", key.Value);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new DurableState(key, reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), Time(reader.GetInt64(3)))
                : null;
        });

    /// <inheritdoc />
    protected override ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT position FROM checkpoints WHERE consumer = $consumer;";
            command.Parameters.AddWithValue("$consumer", consumer);
            return command.ExecuteScalar() is long position ? position : (long?)null;
        });

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken) =>
        Query<IReadOnlyList<QueueMessage>>(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at
                FROM queue_messages WHERE queue = $queue AND due_at <= $dueBy ORDER BY due_at, sequence LIMIT $count;
                """;
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$dueBy", dueBy.UtcTicks);
            command.Parameters.AddWithValue("$count", maxCount);
            using var reader = command.ExecuteReader();
            var messages = new List<QueueMessage>();
            while (reader.Read())
            {
                messages.Add(new QueueMessage(
                    queue,
                    new Guid(reader.GetFieldValue<byte[]>(0)),
                    reader.GetString(1),
                    reader.GetFieldValue<byte[]>(2),
                    MetadataJson.Decode(reader.IsDBNull(3) ? null : reader.GetString(3)),
                    Time(reader.GetInt64(4)),
                    reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetInt64(7),
                    Time(reader.GetInt64(8))));
            }

            return messages;
        });

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
