using System.Runtime.CompilerServices;
using Annals.Storage;

namespace Annals.Tests.Deciders;

/// <summary>A store over another that counts the reads and the events they return, and can fail commits with a conflict.</summary>
internal sealed class InstrumentedEventStore(IEventStore inner) : IEventStore
{
    private int _eventsRead;
    private int _reads;
    private int _commits;
    private int _conflictsLeft;

    /// <summary>The events every stream and log read returned.</summary>
    public int EventsRead => Volatile.Read(ref _eventsRead);

    /// <summary>The stream and log reads made.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The commits asked for, failed ones included.</summary>
    public int Commits => Volatile.Read(ref _commits);

    /// <summary>Runs before each failed commit (a clock to move on, say).</summary>
    public Action? OnConflict { get; set; }

    /// <summary>Fails the next commits with <see cref="WrongExpectedRevisionException"/>, as if another writer won each race.</summary>
    public void LoseRaces(int count) => Volatile.Write(ref _conflictsLeft, count);

    public void ResetCounts()
    {
        Volatile.Write(ref _eventsRead, 0);
        Volatile.Write(ref _reads, 0);
    }

    public ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        if (Interlocked.Decrement(ref _conflictsLeft) >= 0)
        {
            OnConflict?.Invoke();
            throw new WrongExpectedRevisionException(StreamOf(batch), ExpectedRevision.Exact(0), 1);
        }

        return inner.CommitAsync(batch, cancellationToken);
    }

    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        CountedAsync(inner.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken), cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadStreamBackwardAsync(StreamName stream, long fromRevision = long.MaxValue, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        CountedAsync(inner.ReadStreamBackwardAsync(stream, fromRevision, maxCount, cancellationToken), cancellationToken);

    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default) =>
        CountedAsync(inner.ReadAllAsync(afterPosition, filter, maxCount, cancellationToken), cancellationToken);

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

    private static StreamName StreamOf(CommitBatch batch) =>
        batch.Operations.OfType<AppendOperation>().Select(a => a.Stream).FirstOrDefault(StreamName.Parse("unknown.stream"));

    private async IAsyncEnumerable<RecordedEvent> CountedAsync(IAsyncEnumerable<RecordedEvent> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        await foreach (var record in read.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _eventsRead);
            yield return record;
        }
    }
}
