namespace Annals.Storage;

/// <summary>Reads events: one stream, the global log, and live subscriptions.</summary>
/// <remarks>
/// Positions start at 1 and strictly increase in commit order; readers and subscribers take the
/// position they have seen (<c>afterPosition</c>) and get the events after it, so a checkpoint
/// is passed back unchanged. Revisions start at 0 within a stream.
/// </remarks>
public interface IEventReader
{
    /// <summary>Reads a stream forward from a revision. A stream that does not exist reads as empty.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="fromRevision">The first revision to return, 0 or more.</param>
    /// <param name="maxCount">The most events to return, 0 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events in revision order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromRevision"/> or <paramref name="maxCount"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> ReadStreamAsync(StreamName stream, long fromRevision = 0, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Reads a stream backward from a revision (the last one by default).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="fromRevision">The first revision to return, counting down; beyond the end means the last.</param>
    /// <param name="maxCount">The most events to return, 0 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events in descending revision order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromRevision"/> or <paramref name="maxCount"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> ReadStreamBackwardAsync(StreamName stream, long fromRevision = long.MaxValue, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>Reads the global log after a position, through a filter.</summary>
    /// <param name="afterPosition">Events with a greater position are returned; 0 reads from the start.</param>
    /// <param name="filter">Which events to return; all when <see langword="null"/>.</param>
    /// <param name="maxCount">The most events to return, 0 or more.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The events in position order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> or <paramref name="maxCount"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> ReadAllAsync(long afterPosition = 0, EventFilter? filter = null, int maxCount = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes to the global log: first the stored events after a position (catch-up), then new
    /// ones as they are committed (live), through a filter. It ends only when cancelled (with an
    /// <see cref="OperationCanceledException"/>) or when the store is disposed.
    /// </summary>
    /// <param name="afterPosition">Events with a greater position are delivered; 0 delivers everything.</param>
    /// <param name="filter">Which events to deliver; all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events in position order, without gaps or repeats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes as <see cref="SubscribeAsync(long, EventFilter?, CancellationToken)"/> does, and says when the
    /// subscription is live: <paramref name="onLive"/> is called once, when it has delivered every event stored after
    /// the position and is about to wait for the next commit. Every commit made after the call is delivered, so a test
    /// (or a caller that must not append before it listens) awaits it instead of sleeping.
    /// </summary>
    /// <param name="afterPosition">Events with a greater position are delivered; 0 delivers everything.</param>
    /// <param name="filter">Which events to deliver; all when <see langword="null"/>.</param>
    /// <param name="onLive">Called once when the subscription is live, on the thread that reads it; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events in position order, without gaps or repeats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    IAsyncEnumerable<RecordedEvent> SubscribeAsync(long afterPosition, EventFilter? filter, Action? onLive, CancellationToken cancellationToken = default);

    /// <summary>Reads what the store knows of a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stream's revisions and last position, or <see langword="null"/> when it does not exist.</returns>
    ValueTask<StreamInfo?> GetStreamInfoAsync(StreamName stream, CancellationToken cancellationToken = default);

    /// <summary>Lists the streams that exist, in name order, optionally of one category.</summary>
    /// <param name="category">Only streams of this category; all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>What the store knows of each stream.</returns>
    /// <exception cref="InvalidNameException"><paramref name="category"/> is malformed.</exception>
    IAsyncEnumerable<StreamInfo> ListStreamsAsync(string? category = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the highest position ever assigned (also when its event was since removed); 0 for an empty store.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head position.</returns>
    ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);
}
