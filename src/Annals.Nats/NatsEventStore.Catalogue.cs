using Annals.Storage;
using NATS.Client.KeyValueStore;

namespace Annals.Nats;

public sealed partial class NatsEventStore : IStoreCatalogueReader
{
    /// <inheritdoc />
    /// <remarks>Counts by reading the whole store: for an operator's look, not for a hot path.</remarks>
    public async ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        long streams = 0;
        await foreach (var _ in ListStreamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            streams++;
        }

        long events = 0;
        await foreach (var _ in ReadAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events++;
        }

        var stream = await StreamAsync(cancellationToken).ConfigureAwait(false);
        await stream.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return new StoreCatalogue
        {
            Backend = "NATS",
            Location = $"{_connection.Opts.Url} {_layout.Store}",
            Streams = streams,
            Events = events,
            HeadPosition = await GetHeadPositionAsync(cancellationToken).ConfigureAwait(false),
            Snapshots = await CountAsync(_buckets.Snapshots, cancellationToken).ConfigureAwait(false),
            States = await CountAsync(_buckets.States, cancellationToken).ConfigureAwait(false),
            Checkpoints = await CountAsync(_buckets.Checkpoints, cancellationToken).ConfigureAwait(false),
            QueueMessages = await CountAsync(_buckets.Queue, cancellationToken).ConfigureAwait(false),
            SizeBytes = (long)stream.Info.State.Bytes,
            Tables = new Dictionary<string, string>
            {
                ["events"] = _layout.StreamName,
                ["snapshots"] = _layout.Bucket("snapshots"),
                ["states"] = _layout.Bucket("states"),
                ["checkpoints"] = _layout.Bucket("checkpoints"),
                ["queue_messages"] = _layout.Bucket("queue"),
            },
        };
    }

    private static async Task<long> CountAsync(INatsKVStore bucket, CancellationToken cancellationToken)
    {
        long count = 0;
        await foreach (var _ in bucket.GetKeysAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            count++;
        }

        return count;
    }
}
