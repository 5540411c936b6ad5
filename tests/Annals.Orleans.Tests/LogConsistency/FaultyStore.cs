using System.Collections.Concurrent;
using Annals.Storage;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>
/// A store over another that records where each stream read began, can lose the outcome of commits (storing them, then
/// throwing as a dropped connection would) or fail them before they are stored, and can claim the capabilities of a
/// store that commits events and records apart, refusing wider batches as such a store does.
/// </summary>
internal sealed class FaultyStore(IEventStore inner) : IEventStore
{
    private readonly ConcurrentQueue<(StreamName Stream, long From)> _reads = new();
    private readonly ConcurrentDictionary<string, int> _lostOutcomes = new();
    private readonly ConcurrentDictionary<string, int> _failures = new();
    private readonly Lock _gate = new();
    private string? _holdCategory;
    private TaskCompletionSource? _held;
    private TaskCompletionSource? _release;
    private CommitBatch? _inFlight;

    public IEventStore Inner => inner;

    public StoreCapabilities Capabilities { get; set; } = inner.Capabilities;

    /// <summary>The next <paramref name="count"/> commits to a stream of this category are stored, then throw.</summary>
    public void LoseOutcomes(string category, int count) => _lostOutcomes[category] = count;

    /// <summary>The next <paramref name="count"/> commits to a stream of this category throw without storing anything.</summary>
    public void FailCommits(string category, int count) => _failures[category] = count;

    /// <summary>
    /// The next commit to a stream of this category waits until <see cref="ReleaseHeld"/>, then throws without storing
    /// anything, as a commit whose connection broke while it was still on its way; it lands late, just before the next
    /// commit of any stream. The task completes once the commit is held.
    /// </summary>
    public Task HoldNextCommit(string category)
    {
        lock (_gate)
        {
            _holdCategory = category;
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _held.Task;
        }
    }

    /// <summary>Lets the held commit fail.</summary>
    public void ReleaseHeld() => _release?.TrySetResult();

    /// <summary>The revisions the reads of a stream began at, in order.</summary>
    public IReadOnlyList<long> ReadsOf(StreamName stream) => [.. _reads.Where(r => r.Stream == stream).Select(r => r.From)];

    public async ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        if (Capabilities.WhyNotAtomic(batch.Operations) is { } why)
        {
            throw new BatchNotAtomicException(why);
        }

        CommitBatch? late;
        lock (_gate)
        {
            (late, _inFlight) = (_inFlight, null);
        }

        if (late is not null)
        {
            await inner.CommitAsync(late, cancellationToken);
        }

        var category = batch.Operations.OfType<AppendOperation>().Select(a => a.Stream.Category).FirstOrDefault();
        TaskCompletionSource? release = null;
        lock (_gate)
        {
            if (category is not null && category == _holdCategory)
            {
                _holdCategory = null;
                _inFlight = batch;
                release = _release;
                _held!.TrySetResult();
            }
        }

        if (release is not null)
        {
            await release.Task;
            throw new StoreUnavailableException("The connection broke while the commit was on its way (injected); it lands later.", null);
        }

        if (category is not null && Take(_failures, category))
        {
            throw new StoreUnavailableException("The connection was refused (injected).", null);
        }

        var result = await inner.CommitAsync(batch, cancellationToken);
        if (category is not null && Take(_lostOutcomes, category))
        {
            throw new StoreUnavailableException("The connection was lost after COMMIT was sent (injected).", null);
        }

        return result;
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        _reads.Enqueue((stream, fromRevision));
        return inner.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamBackwardAsync(StreamName stream, long fromRevision = long.MaxValue, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.ReadStreamBackwardAsync(stream, fromRevision, maxCount, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(afterPosition, filter, maxCount, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(afterPosition, filter, cancellationToken);

    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition, EventFilter? filter, Action? onLive, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(afterPosition, filter, onLive, cancellationToken);

    public ValueTask<StreamInfo?> GetStreamInfoAsync(StreamName stream, CancellationToken cancellationToken = default) => inner.GetStreamInfoAsync(stream, cancellationToken);

    public IAsyncEnumerable<StreamInfo> ListStreamsAsync(string? category = null, CancellationToken cancellationToken = default) => inner.ListStreamsAsync(category, cancellationToken);

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

    public ValueTask<Snapshot?> ReadSnapshotAsync(StreamName stream, CancellationToken cancellationToken = default) => inner.ReadSnapshotAsync(stream, cancellationToken);

    public ValueTask<DurableState?> ReadStateAsync(StreamName key, CancellationToken cancellationToken = default) => inner.ReadStateAsync(key, cancellationToken);

    public ValueTask<long?> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken = default) => inner.ReadCheckpointAsync(consumer, cancellationToken);

    public ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesAsync(string queue, DateTimeOffset dueBy, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.ReadDueMessagesAsync(queue, dueBy, maxCount, cancellationToken);

    public ValueTask<QueueMessage?> ReadMessageAsync(string queue, Guid messageId, CancellationToken cancellationToken = default) => inner.ReadMessageAsync(queue, messageId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static bool Take(ConcurrentDictionary<string, int> counts, string category)
    {
        while (counts.TryGetValue(category, out var left) && left > 0)
        {
            if (counts.TryUpdate(category, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }
}
