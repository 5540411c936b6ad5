using Annals.Storage;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

public sealed partial class NatsEventStore
{
    /// <inheritdoc />
    protected override async ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var entry = await GetEntryAsync(_buckets.Snapshots, NatsKeys.StreamKey(stream), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : NatsRecordCodec.Snapshot(stream, entry.Value.Value);
    }

    /// <inheritdoc />
    protected override async ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var entry = await GetEntryAsync(_buckets.States, NatsKeys.StreamKey(key), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : NatsRecordCodec.State(key, entry.Value.Value);
    }

    /// <inheritdoc />
    protected override async ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var entry = await GetEntryAsync(_buckets.Checkpoints, NatsKeys.Token(consumer), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : NatsRecordCodec.Checkpoint(consumer, entry.Value.Value);
    }

    /// <inheritdoc />
    protected override async ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var entry = await GetEntryAsync(_buckets.Queue, NatsKeys.MessageKey(queue, messageId), cancellationToken).ConfigureAwait(false);
        return entry is null ? null : NatsRecordCodec.Message(queue, messageId, entry.Value.Value).Message;
    }

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var due = new List<(QueueMessage Message, long Sequence)>();
        var prefix = NatsKeys.Token(queue) + ".";
        try
        {
            await foreach (var key in _buckets.Queue.GetKeysAsync([prefix + "*"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                // A server before 2.10 ignores the filter and lists every key.
                if (!key.StartsWith(prefix, StringComparison.Ordinal) || !Guid.TryParseExact(key.AsSpan(prefix.Length), "N", out var id))
                {
                    continue;
                }

                var entry = await GetEntryAsync(_buckets.Queue, key, cancellationToken).ConfigureAwait(false);
                if (entry is not null)
                {
                    var message = NatsRecordCodec.Message(queue, id, entry.Value.Value);
                    if (message.Message.DueAt <= dueBy)
                    {
                        due.Add(message);
                    }
                }
            }
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }

        // As the SQL stores order them: by due time, then in the order they were enqueued.
        return due.OrderBy(m => m.Message.DueAt).ThenBy(m => m.Sequence).Take(maxCount).Select(m => m.Message).ToList();
    }

    /// <summary>A key's entry with its revision, or <see langword="null"/> when it has none or it was deleted.</summary>
    private async Task<NatsRecord?> GetEntryAsync(INatsKVStore bucket, string key, CancellationToken cancellationToken)
    {
        NATS.Client.Core.NatsResult<NatsKVEntry<byte[]>> result;
        try
        {
            result = await bucket.TryGetEntryAsync<byte[]>(key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NatsErrors.IsUnavailable(e))
        {
            throw NatsErrors.Unavailable(this, e);
        }

        if (!result.Success)
        {
            return result.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException
                ? null
                : NatsErrors.IsUnavailable(result.Error) ? throw NatsErrors.Unavailable(this, result.Error) : throw result.Error;
        }

        var entry = result.Value;
        return entry.Operation == NatsKVOperation.Put && entry.Value is { } value ? new NatsRecord(value, entry.Revision, entry.Created) : null;
    }
}

/// <summary>A key-value entry: its value, its revision (for compare-and-set) and when it was written.</summary>
internal readonly record struct NatsRecord(byte[] Value, ulong Revision, DateTimeOffset Created);
