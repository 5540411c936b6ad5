namespace Annals.Storage;

/// <summary>An event is larger than the store allows. Raised before any I/O; nothing is stored.</summary>
public sealed class EventTooLargeException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="stream">The stream it was appended to.</param>
    /// <param name="size">Its size in bytes (data and metadata).</param>
    /// <param name="limit">The largest size allowed.</param>
    public EventTooLargeException(Guid eventId, StreamName stream, int size, int limit)
        : base($"Event {eventId} appended to '{stream}' is {size} bytes; the store allows at most {limit}.")
    {
        EventId = eventId;
        Stream = stream;
        Size = size;
        Limit = limit;
    }

    /// <summary>The event's id.</summary>
    public Guid EventId { get; }

    /// <summary>The stream it was appended to.</summary>
    public StreamName Stream { get; }

    /// <summary>Its size in bytes.</summary>
    public int Size { get; }

    /// <summary>The largest size allowed.</summary>
    public int Limit { get; }
}
