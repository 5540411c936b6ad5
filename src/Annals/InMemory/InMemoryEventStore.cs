using Annals.Leases;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.InMemory;

/// <summary>
/// The whole storage contract in memory: thread-safe, with no set-up, for tests and prototypes.
/// Nothing survives the process.
/// </summary>
/// <remarks>
/// One lock serialises commits, which makes every batch atomic and positions follow commit order
/// trivially. Reads copy a page of events under the lock and yield them outside it, so a slow
/// reader never blocks writers.
/// </remarks>
public sealed partial class InMemoryEventStore : EventStoreBase
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    // Index = position - 1; removed (truncated or deleted) events leave a null so positions stay stable.
    private readonly List<RecordedEvent?> _log = [];
    private readonly Dictionary<StreamName, StreamEntry> _streams = [];
    private readonly Dictionary<Guid, RecordedEvent> _eventsById = [];
    private readonly TagIndex _tags = new();
    private readonly Dictionary<StreamName, Snapshot> _snapshots = [];
    private readonly Dictionary<StreamName, DurableState> _states = [];
    private readonly Dictionary<string, long> _checkpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<Guid, QueueEntry>> _queues = new(StringComparer.Ordinal);
    private long _queueSequence;
    private readonly Pulse _appended = new();
    private bool _disposed;

    /// <summary>Makes an empty store.</summary>
    /// <param name="options">Options; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public InMemoryEventStore(InMemoryEventStoreOptions? options = null)
        : base(Validated(options).MaxEventBytes)
    {
        _time = (options ?? Default).TimeProvider;
        Leases = new InMemoryLeaseManager(_time);
    }

    /// <summary>Leases for single-owner work, kept in memory on the store's clock.</summary>
    public InMemoryLeaseManager Leases { get; }

    private static InMemoryEventStoreOptions Default { get; } = new();

    /// <inheritdoc />
    /// <remarks>Every batch but one with SQL work, which has no database here to run in.</remarks>
    public override StoreCapabilities Capabilities { get; } = StoreCapabilities.Complete with
    {
        SqlWork = false,
        SyncedOnCommit = false,
        Notes = "Held in memory: nothing survives the process, and there is no database for SQL work.",
    };

    /// <inheritdoc />
    protected override ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_snapshots.GetValueOrDefault(stream));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_states.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesCoreAsync(IReadOnlyList<StreamName> keys, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            var states = new Dictionary<StreamName, DurableState>(keys.Count);
            foreach (var key in keys)
            {
                if (_states.TryGetValue(key, out var state))
                {
                    states[key] = state;
                }
            }

            return ValueTask.FromResult<IReadOnlyDictionary<StreamName, DurableState>>(states);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_checkpoints.TryGetValue(consumer, out var position) ? position : (long?)null);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<long> CountDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_queues.TryGetValue(queue, out var messages) ? messages.Values.LongCount(m => m.Message.DueAt <= dueBy) : 0L);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            if (!_queues.TryGetValue(queue, out var messages))
            {
                return ValueTask.FromResult<IReadOnlyList<QueueMessage>>([]);
            }

            IReadOnlyList<QueueMessage> due = [.. messages.Values
                .Where(m => m.Message.DueAt <= dueBy)
                .OrderBy(m => m.Message.DueAt)
                .ThenBy(m => m.Sequence)
                .Take(maxCount)
                .Select(m => m.Message)];
            return ValueTask.FromResult(due);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(_queues.TryGetValue(queue, out var messages) && messages.TryGetValue(messageId, out var entry) ? entry.Message : null);
        }
    }

    /// <inheritdoc />
    protected override string DatabaseSystem => "memory";

    /// <summary>Disposes the store: live subscriptions end, and further calls throw <see cref="ObjectDisposedException"/>.</summary>
    /// <returns>A completed task.</returns>
    public override ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
            _appended.Close();
        }

        return ValueTask.CompletedTask;
    }

    private static InMemoryEventStoreOptions Validated(InMemoryEventStoreOptions? options)
    {
        options ??= Default;
        options.Validate();
        return options;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
