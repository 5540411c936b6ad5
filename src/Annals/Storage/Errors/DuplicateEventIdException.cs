namespace Annals.Storage;

/// <summary>
/// An event id is already stored, and the append is not an exact re-commit of the same events to
/// the same stream in the same order. Nothing in the batch is stored.
/// </summary>
public sealed class DuplicateEventIdException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="eventId">The reused id.</param>
    /// <param name="stream">The stream of the rejected append.</param>
    /// <param name="existingStream">The stream that already holds the id.</param>
    /// <param name="existingRevision">The revision at which it is held.</param>
    public DuplicateEventIdException(Guid eventId, StreamName stream, StreamName existingStream, long existingRevision)
        : base($"Append to '{stream}' reuses event id {eventId}, already stored in '{existingStream}' at revision {existingRevision}; only a re-commit of the same events in the same order to the same stream is idempotent.")
    {
        EventId = eventId;
        Stream = stream;
        ExistingStream = existingStream;
        ExistingRevision = existingRevision;
    }

    /// <summary>The reused id.</summary>
    public Guid EventId { get; }

    /// <summary>The stream of the rejected append.</summary>
    public StreamName Stream { get; }

    /// <summary>The stream that already holds the id.</summary>
    public StreamName ExistingStream { get; }

    /// <summary>The revision at which it is held.</summary>
    public long ExistingRevision { get; }
}
