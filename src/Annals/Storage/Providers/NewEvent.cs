namespace Annals.Storage.Providers;

/// <summary>An event a group of batches appends and leaves stored: what to insert, and where.</summary>
/// <param name="Stream">Its stream.</param>
/// <param name="Revision">Its revision in the stream.</param>
/// <param name="Position">Its position in the log.</param>
/// <param name="Event">The event as appended: id, type, data and metadata.</param>
/// <param name="Timestamp">When it was committed: the time the group was planned at.</param>
public readonly record struct NewEvent(StreamName Stream, long Revision, long Position, EventData Event, DateTimeOffset Timestamp);
