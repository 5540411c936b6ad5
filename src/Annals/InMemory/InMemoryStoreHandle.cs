using System.Runtime.CompilerServices;
using Annals.Storage;

namespace Annals.InMemory;

/// <summary>
/// One open of a named in-memory store: it reads and writes the provider's store, and disposing it releases the open
/// (ending its subscriptions) while the store and its data stay with the provider.
/// </summary>
internal sealed class InMemoryStoreHandle(InMemoryEventStore store, Action release) : IEventStore, IStoreCatalogueReader
{
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    public ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.CommitAsync(batch, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamBackwardAsync(StreamName stream, long fromRevision = long.MaxValue, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadStreamBackwardAsync(stream, fromRevision, maxCount, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadAllAsync(afterPosition, filter, maxCount, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(afterPosition, filter, null, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition, EventFilter? filter, Action? onLive, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();

        // Made here, so its arguments are checked when called, as every store does.
        var subscription = store.SubscribeAsync(afterPosition, filter, onLive, CancellationToken.None);
        return EndWhenClosedAsync(subscription, cancellationToken);
    }

    public ValueTask<StreamInfo?> GetStreamInfoAsync(StreamName stream, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.GetStreamInfoAsync(stream, cancellationToken);
    }

    public IAsyncEnumerable<StreamInfo> ListStreamsAsync(string? category = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ListStreamsAsync(category, cancellationToken);
    }

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.GetHeadPositionAsync(cancellationToken);
    }

    public ValueTask<Snapshot?> ReadSnapshotAsync(StreamName stream, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadSnapshotAsync(stream, cancellationToken);
    }

    public ValueTask<DurableState?> ReadStateAsync(StreamName key, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadStateAsync(key, cancellationToken);
    }

    public ValueTask<long?> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadCheckpointAsync(consumer, cancellationToken);
    }

    public ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesAsync(string queue, DateTimeOffset dueBy, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadDueMessagesAsync(queue, dueBy, maxCount, cancellationToken);
    }

    public ValueTask<long> CountDueMessagesAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.CountDueMessagesAsync(queue, dueBy, cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesAsync(IEnumerable<StreamName> keys, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadStatesAsync(keys, cancellationToken);
    }

    public ValueTask<QueueMessage?> ReadMessageAsync(string queue, Guid messageId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.ReadMessageAsync(queue, messageId, cancellationToken);
    }

    public ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return store.GetCatalogueAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _closed.Cancel();
            _closed.Dispose();
            release();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ends a subscription when this open is disposed, as a disposed store ends its own.</summary>
    private async IAsyncEnumerable<RecordedEvent> EndWhenClosedAsync(IAsyncEnumerable<RecordedEvent> subscription, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CancellationTokenSource linked;
        try
        {
            linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        }
        catch (ObjectDisposedException)
        {
            yield break;
        }

        using (linked)
        {
            await using var events = subscription.GetAsyncEnumerator(linked.Token);
            while (true)
            {
                bool next;
                try
                {
                    next = await events.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _disposed) != 0)
                {
                    yield break;
                }

                if (!next)
                {
                    yield break;
                }

                yield return events.Current;
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
