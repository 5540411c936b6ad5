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
            command.CommandText = $"SELECT {RecordRows.SnapshotColumns} FROM snapshots WHERE stream = $stream;";
            command.Parameters.AddWithValue("$stream", stream.Value);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? RecordRows.Snapshot(reader, stream)
                : null;
        });

    /// <inheritdoc />
    protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RecordRows.StateColumns} FROM states WHERE key = $key;";
            command.Parameters.AddWithValue("$key", key.Value);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? RecordRows.State(reader, key)
                : null;
        });

    /// <inheritdoc />
    /// <remarks>The keys go in as one JSON array, so one prepared statement serves any number of them.</remarks>
    protected override ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesCoreAsync(IReadOnlyList<StreamName> keys, CancellationToken cancellationToken) =>
        Query<IReadOnlyDictionary<StreamName, DurableState>>(cancellationToken, connection =>
        {
            var byValue = new Dictionary<string, StreamName>(keys.Count, StringComparer.Ordinal);
            foreach (var key in keys)
            {
                byValue[key.Value] = key;
            }

            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RecordRows.StateColumns}, key FROM states WHERE key IN (SELECT value FROM json_each($keys));";
            command.Parameters.AddWithValue("$keys", JsonStrings.ToArray(byValue.Keys));
            var states = new Dictionary<StreamName, DurableState>(keys.Count);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = byValue[reader.GetString(4)];
                states[key] = RecordRows.State(reader, key);
            }

            return states;
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
    protected override ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {RecordRows.QueueMessageColumns} FROM queue_messages WHERE queue = $queue AND message_id = $id;";
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$id", messageId.ToByteArray());
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? RecordRows.QueueMessage(reader, queue)
                : null;
        });

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken) =>
        Query<IReadOnlyList<QueueMessage>>(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                SELECT {RecordRows.QueueMessageColumns}
                FROM queue_messages WHERE queue = $queue AND due_at <= $dueBy ORDER BY due_at, sequence LIMIT $count;
                """;
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$dueBy", dueBy.UtcTicks);
            command.Parameters.AddWithValue("$count", maxCount);
            using var reader = command.ExecuteReader();
            var messages = new List<QueueMessage>();
            while (reader.Read())
            {
                messages.Add(RecordRows.QueueMessage(reader, queue));
            }

            return messages;
        });

    /// <inheritdoc />
    protected override ValueTask<long> CountDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM queue_messages WHERE queue = $queue AND due_at <= $dueBy;";
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$dueBy", dueBy.UtcTicks);
            return (long)command.ExecuteScalar()!;
        });
}
