using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    /// <inheritdoc />
    protected override ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT revision, type, data, timestamp FROM {Schema}.snapshots WHERE stream = $1",
            [stream.Value],
            r => new Snapshot(stream, r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2), Time(r.GetInt64(3))),
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT version, type, data, timestamp FROM {Schema}.states WHERE key = $1",
            [key.Value],
            r => new DurableState(key, r.GetInt64(0), r.GetString(1), r.GetFieldValue<byte[]>(2), Time(r.GetInt64(3))),
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT position FROM {Schema}.checkpoints WHERE consumer = $1", [consumer], r => (long?)r.GetInt64(0), cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken) =>
        await ListAsync(
            $"""
            SELECT message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at
            FROM {Schema}.queue_messages WHERE queue = $1 AND due_at <= $2 ORDER BY due_at, sequence LIMIT $3
            """,
            [queue, dueBy.UtcTicks, maxCount],
            r => new QueueMessage(
                queue,
                r.GetGuid(0),
                r.GetString(1),
                r.GetFieldValue<byte[]>(2),
                MetadataJson.Decode(r.IsDBNull(3) ? null : r.GetString(3)),
                Time(r.GetInt64(4)),
                r.GetInt32(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.GetInt64(7),
                Time(r.GetInt64(8))),
            cancellationToken).ConfigureAwait(false);

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
