namespace Annals.Storage;

/// <summary>
/// An event store: events, plus the records that commit with them (snapshots, durable state,
/// checkpoints and queue messages). Every Annals backend implements it and proves it with the
/// conformance suite in Annals.Testing.
/// </summary>
public interface IEventStore : IEventReader, IEventWriter, IAsyncDisposable
{
    /// <summary>
    /// What the store can commit atomically in one batch and how it keeps what it commits. A batch wider than that is
    /// refused with <see cref="BatchNotAtomicException"/> before anything is written.
    /// </summary>
    StoreCapabilities Capabilities => StoreCapabilities.Complete;

    /// <summary>Reads a stream's snapshot.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The snapshot, or <see langword="null"/> when there is none.</returns>
    ValueTask<Snapshot?> ReadSnapshotAsync(StreamName stream, CancellationToken cancellationToken = default);

    /// <summary>Reads a key's durable state.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or <see langword="null"/> when there is none.</returns>
    ValueTask<DurableState?> ReadStateAsync(StreamName key, CancellationToken cancellationToken = default);

    /// <summary>Reads the durable states of many keys at once: one query on a database, where a loop of <see cref="ReadStateAsync"/> makes one per key.</summary>
    /// <param name="keys">The keys; a key given twice is read once.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored states by key; a key with no state is not in it.</returns>
    /// <exception cref="ArgumentException">A key is the default value, which names no stream.</exception>
    /// <remarks>The states are read together, but not as one snapshot: a commit may land between two of them, as between two calls of <see cref="ReadStateAsync"/>.</remarks>
    async ValueTask<IReadOnlyDictionary<StreamName, DurableState>> ReadStatesAsync(IEnumerable<StreamName> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var states = new Dictionary<StreamName, DurableState>();
        foreach (var key in keys)
        {
            if (!states.ContainsKey(key) && await ReadStateAsync(key, cancellationToken).ConfigureAwait(false) is { } state)
            {
                states[key] = state;
            }
        }

        return states;
    }

    /// <summary>Reads a consumer's checkpoint.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The position processed up to, or <see langword="null"/> when none is stored.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    ValueTask<long?> ReadCheckpointAsync(string consumer, CancellationToken cancellationToken = default);

    /// <summary>Reads the messages of a queue due at or before a time, earliest first (ties in enqueue order).</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="dueBy">Messages due at or before this time are returned; <see cref="DateTimeOffset.MaxValue"/> returns all.</param>
    /// <param name="maxCount">The most messages to return, 0 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The due messages.</returns>
    /// <exception cref="InvalidNameException">The queue's name is malformed.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is negative.</exception>
    ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesAsync(string queue, DateTimeOffset dueBy, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Counts the messages of a queue due at or before a time, without reading them.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="dueBy">Messages due at or before this time are counted; <see cref="DateTimeOffset.MaxValue"/> counts all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>How many messages <see cref="ReadDueMessagesAsync"/> would return with no limit.</returns>
    /// <exception cref="InvalidNameException">The queue's name is malformed; checked before any I/O.</exception>
    async ValueTask<long> CountDueMessagesAsync(string queue, DateTimeOffset dueBy, CancellationToken cancellationToken = default) =>
        (await ReadDueMessagesAsync(queue, dueBy, cancellationToken: cancellationToken).ConfigureAwait(false)).Count;

    /// <summary>Reads one message of a queue by its id, due or not.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The message as stored now (its revision, due time, failure count and last error), or <see langword="null"/>
    /// when the queue holds no message with that id.
    /// </returns>
    /// <exception cref="InvalidNameException">The queue's name is malformed; checked before any I/O.</exception>
    ValueTask<QueueMessage?> ReadMessageAsync(string queue, Guid messageId, CancellationToken cancellationToken = default);
}
