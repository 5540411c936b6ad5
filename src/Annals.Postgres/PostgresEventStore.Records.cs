using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    /// <inheritdoc />
    protected override ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {RecordRows.SnapshotColumns} FROM {Schema}.snapshots WHERE stream = $1",
            [stream.Value],
            r => RecordRows.Snapshot(r, stream),
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {RecordRows.StateColumns} FROM {Schema}.states WHERE key = $1",
            [key.Value],
            r => RecordRows.State(r, key),
            cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesCoreAsync(IReadOnlyList<StreamName> keys, CancellationToken cancellationToken)
    {
        var byValue = keys.ToDictionary(k => k.Value, StringComparer.Ordinal);
        var rows = await ListAsync(
            $"SELECT {RecordRows.StateColumns}, key FROM {Schema}.states WHERE key = ANY($1)",
            [byValue.Keys.ToArray()],
            r => RecordRows.State(r, byValue[r.GetString(4)]),
            cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(s => s.Key);
    }

    /// <inheritdoc />
    protected override ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT position FROM {Schema}.checkpoints WHERE consumer = $1", [consumer], r => (long?)r.GetInt64(0), cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {RecordRows.QueueMessageColumns} FROM {Schema}.queue_messages WHERE queue = $1 AND message_id = $2",
            [queue, messageId],
            r => RecordRows.QueueMessage(r, queue),
            cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken) =>
        await ListAsync(
            $"""
            SELECT {RecordRows.QueueMessageColumns}
            FROM {Schema}.queue_messages WHERE queue = $1 AND due_at <= $2 ORDER BY due_at, sequence LIMIT $3
            """,
            [queue, dueBy.UtcTicks, maxCount],
            r => RecordRows.QueueMessage(r, queue),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask<long> CountDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken) =>
        await QueryAsync(
            $"SELECT COUNT(*) FROM {Schema}.queue_messages WHERE queue = $1 AND due_at <= $2",
            [queue, dueBy.UtcTicks],
            r => r.GetInt64(0),
            cancellationToken).ConfigureAwait(false);
}
