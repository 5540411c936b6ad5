using System.Diagnostics;
using Annals.Diagnostics;

namespace Annals.Storage.Providers;

/// <summary>
/// A base for stores: it checks every argument and validates every batch the same way for all
/// backends, before any I/O, and leaves the storage work to the <c>Core</c> and <c>Page</c> members; it pages reads itself.
/// </summary>
public abstract partial class EventStoreBase : IEventStore
{
    /// <summary>Makes the base.</summary>
    /// <param name="maxEventBytes">The largest event the store accepts, data plus metadata.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxEventBytes"/> is less than 1.</exception>
    protected EventStoreBase(int maxEventBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEventBytes, 1);
        MaxEventBytes = maxEventBytes;
    }

    /// <summary>The largest event the store accepts, data plus metadata.</summary>
    protected int MaxEventBytes { get; }

    /// <inheritdoc />
    public ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        var operations = BatchValidator.Validate(batch, MaxEventBytes);
        if (Capabilities.WhyNotAtomic(operations) is { } reason)
        {
            throw new BatchNotAtomicException(reason);
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Nothing listening costs nothing: no span, no clock read, no extra state machine.
        return StoreMetrics.CommitsObserved || AnnalsActivity.Source.HasListeners()
            ? ObservedCommitAsync(operations, cancellationToken)
            : CommitCoreAsync(operations, cancellationToken);
    }

    /// <inheritdoc />
    public virtual StoreCapabilities Capabilities => StoreCapabilities.Complete;

    /// <summary>The backend, as OpenTelemetry's <c>db.system.name</c> names it (<c>sqlite</c>, <c>postgresql</c>), on every span and measurement.</summary>
    protected virtual string DatabaseSystem => "other";

    /// <summary>Which store of the backend this is (a file, a schema), as <c>db.namespace</c> on spans; <see langword="null"/> for none.</summary>
    protected virtual string? DatabaseNamespace => null;

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return PageStreamAsync(Named(stream, nameof(stream)), fromRevision, maxCount, forward: true, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadStreamBackwardAsync(StreamName stream, long fromRevision = long.MaxValue, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return PageStreamAsync(Named(stream, nameof(stream)), fromRevision, maxCount, forward: false, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return PageLogAsync(afterPosition, filter ?? EventFilter.All, maxCount, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default) =>
        SubscribeAsync(afterPosition, filter, null, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition, EventFilter? filter, Action? onLive, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        return FollowLogAsync(afterPosition, filter ?? EventFilter.All, onLive, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StreamInfo> ListStreamsAsync(string? category = null, CancellationToken cancellationToken = default)
    {
        if (category is not null)
        {
            NameChecks.Category(category);
        }

        return ListStreamsCore(category, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long?> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken = default)
    {
        NameChecks.Consumer(consumer);
        return ReadCheckpointCoreAsync(consumer, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesAsync(string queue, DateTimeOffset dueBy, int maxCount = int.MaxValue, CancellationToken cancellationToken = default)
    {
        NameChecks.Queue(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        return ReadDueMessagesCoreAsync(queue, dueBy, maxCount, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountDueMessagesAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken = default)
    {
        NameChecks.Queue(queue);
        return CountDueMessagesCoreAsync(queue, dueBy, cancellationToken);
    }

    /// <summary>Counts the messages of a queue due at or before a time; the name is checked.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="dueBy">The time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many are due by then.</returns>
    /// <remarks>Reads the due messages and counts them unless a backend counts them where they are stored.</remarks>
    protected virtual async ValueTask<long> CountDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken) =>
        (await ReadDueMessagesCoreAsync(queue, dueBy, int.MaxValue, cancellationToken).ConfigureAwait(false)).Count;

    /// <inheritdoc />
    public ValueTask<QueueMessage?> ReadMessageAsync(string queue, Guid messageId, CancellationToken cancellationToken = default)
    {
        NameChecks.Queue(queue);
        return ReadMessageCoreAsync(queue, messageId, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StreamInfo?> GetStreamInfoAsync(StreamName stream, CancellationToken cancellationToken = default) =>
        GetStreamInfoCoreAsync(Named(stream, nameof(stream)), cancellationToken);

    /// <inheritdoc />
    public abstract ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public ValueTask<Snapshot?> ReadSnapshotAsync(StreamName stream, CancellationToken cancellationToken = default) =>
        ReadSnapshotCoreAsync(Named(stream, nameof(stream)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<DurableState?> ReadStateAsync(StreamName key, CancellationToken cancellationToken = default) =>
        ReadStateCoreAsync(Named(key, nameof(key)), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesAsync(IEnumerable<StreamName> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var distinct = new HashSet<StreamName>();
        foreach (var key in keys)
        {
            distinct.Add(Named(key, nameof(keys)));
        }

        return distinct.Count == 0
            ? ValueTask.FromResult<IReadOnlyDictionary<StreamName, DurableState>>(new Dictionary<StreamName, DurableState>())
            : ReadStatesCoreAsync([.. distinct], cancellationToken);
    }

    /// <summary>Reads the durable states of many keys; each is checked, none is repeated, and there is at least one.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored states by key.</returns>
    /// <remarks>Reads one key after another unless a backend reads them in one query.</remarks>
    protected virtual async ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesCoreAsync(IReadOnlyList<StreamName> keys, CancellationToken cancellationToken)
    {
        var states = new Dictionary<StreamName, DurableState>(keys.Count);
        foreach (var key in keys)
        {
            if (await ReadStateCoreAsync(key, cancellationToken).ConfigureAwait(false) is { } state)
            {
                states[key] = state;
            }
        }

        return states;
    }

    /// <summary>Reads a stream's last revision and state; the name is checked.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream's information, or <see langword="null"/> when it was never written.</returns>
    protected abstract ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken);

    /// <summary>Reads a stream's snapshot; the name is checked.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or <see langword="null"/> when there is none.</returns>
    protected abstract ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken);

    /// <summary>Reads a durable state; the key is checked.</summary>
    /// <param name="key">The state's key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when there is none.</returns>
    protected abstract ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken);

    // default(StreamName) names no stream: refused as an argument, like a null string.
    private static StreamName Named(StreamName stream, string paramName) =>
        stream.IsEmpty ? throw new ArgumentException("The stream name is the default value and names no stream.", paramName) : stream;

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Commits a validated batch atomically.</summary>
    /// <param name="operations">The batch's operations, validated and copied.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>Where the batch's events were stored.</returns>
    protected abstract ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken);

    /// <summary>Reads one page of a stream; the arguments are checked.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="fromRevision">The first revision to return (forward) or the highest (backward).</param>
    /// <param name="count">The most events to return (1 or more); fewer means the stream has no more.</param>
    /// <param name="forward">Whether to read in increasing revision order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events.</returns>
    protected abstract ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken);

    /// <summary>Reads one page of the global log; the arguments are checked.</summary>
    /// <param name="afterPosition">Events with a greater position are returned.</param>
    /// <param name="filter">Which events to return.</param>
    /// <param name="count">The most events to return (1 or more).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page: events in position order, how far it looked, and whether it reached the head.</returns>
    protected abstract ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken);

    /// <summary>
    /// A task that completes at the next commit (or when the store closes), taken before a subscription reads a
    /// page, so that a commit landing after the read cannot be missed; <see langword="null"/> once the store is closed.
    /// </summary>
    /// <returns>The signal, or <see langword="null"/>.</returns>
    protected abstract Task? NextAppendSignal();

    /// <summary>
    /// Whether a subscription waits out <see cref="StoreUnavailableException"/> and resumes, as it should when the store
    /// is a server that may come back; otherwise (a file that cannot be read, a full disk) the subscription fails with it.
    /// </summary>
    protected virtual bool ResumesWhenAvailable => false;

    /// <summary>Waits until a signal from <see cref="NextAppendSignal"/> completes, or until it is worth reading again (a backend that cannot be woken polls).</summary>
    /// <param name="nextAppend">The signal.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <returns>A task that completes when the subscription should read again.</returns>
    protected abstract Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken);

    /// <summary>Lists existing streams in name order; the category is checked.</summary>
    /// <param name="category">Only streams of this category; all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The streams.</returns>
    protected abstract IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, CancellationToken cancellationToken);

    /// <summary>Reads a checkpoint; the name is checked.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The position, or <see langword="null"/>.</returns>
    protected abstract ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>Reads due messages; the arguments are checked.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="dueBy">Messages due at or before this time are returned.</param>
    /// <param name="maxCount">The most messages to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The due messages, earliest first, ties in enqueue order.</returns>
    protected abstract ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken);

    /// <summary>Reads one message of a queue, due or not; the queue's name is checked.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The message as stored now, or <see langword="null"/> when the queue holds none with that id.</returns>
    protected abstract ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken);

    private async IAsyncEnumerable<RecordedEvent> PageStreamAsync(StreamName stream, long fromRevision, int maxCount, bool forward, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var remaining = maxCount;
        var size = new LogPageSizer();

        // Long streams (an entity's recovery) take fewer, larger pages, as log reads do, and the next page is read
        // while the caller works through the current one.
        var count = Math.Min(remaining, size.Next);

        // Made only for a page read ahead, which a caller that stops early leaves unread: most streams fit in one page.
        CancellationTokenSource? readAhead = null;
        Task<IReadOnlyList<RecordedEvent>>? pending = ReadStreamPageAsync(stream, fromRevision, count, forward, cancellationToken).AsTask();
        try
        {
            while (pending is not null)
            {
                var page = await pending.ConfigureAwait(false);
                pending = null;
                size.Saw(page);
                StoreMetrics.EventsRead(DatabaseSystem, page.Count);
                remaining -= page.Count;
                var next = page.Count == 0 ? -1 : forward ? page[^1].Revision + 1 : page[^1].Revision - 1;
                if (page.Count == count && remaining > 0 && next >= 0)
                {
                    count = Math.Min(remaining, size.Next);
                    readAhead ??= CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    pending = ReadStreamPageAsync(stream, next, count, forward, readAhead.Token).AsTask();
                }

                foreach (var e in page)
                {
                    yield return e;
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                // The caller stopped early (or a read failed): the page read ahead is not wanted, nor is its error.
                if (readAhead is not null)
                {
                    await readAhead.CancelAsync().ConfigureAwait(false);
                }

                await pending.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }

            readAhead?.Dispose();
        }
    }

    private async IAsyncEnumerable<RecordedEvent> PageLogAsync(long afterPosition, EventFilter filter, int maxCount, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        var remaining = maxCount;
        var size = new LogPageSizer();
        while (remaining > 0)
        {
            var page = await ReadLogPageAsync(scanned, filter, Math.Min(remaining, size.Next), cancellationToken).ConfigureAwait(false);
            size.Saw(page.Events);
            StoreMetrics.EventsRead(DatabaseSystem, page.Events.Count);
            foreach (var e in page.Events)
            {
                yield return e;
            }

            remaining -= page.Events.Count;
            scanned = page.ScannedTo;
            if (page.AtEnd)
            {
                yield break;
            }
        }
    }

    private async IAsyncEnumerable<RecordedEvent> FollowLogAsync(long afterPosition, EventFilter filter, Action? onLive, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        var size = new LogPageSizer();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nextAppend = NextAppendSignal();
            if (nextAppend is null)
            {
                yield break;
            }

            LogPage page;
            try
            {
                page = await ReadLogPageAsync(scanned, filter, size.Next, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException) when (ResumesWhenAvailable)
            {
                // The server is away: wait, then resume after the last position delivered.
                await WaitForAppendAsync(nextAppend, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            size.Saw(page.Events);
            StoreMetrics.EventsRead(DatabaseSystem, page.Events.Count);
            scanned = page.ScannedTo;
            foreach (var e in page.Events)
            {
                yield return e;
            }

            if (page.AtEnd && page.Events.Count == 0)
            {
                // The signal was taken before the read that found nothing more: any commit from here on wakes this wait.
                Interlocked.Exchange(ref onLive, null)?.Invoke();
                await WaitForAppendAsync(nextAppend, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
