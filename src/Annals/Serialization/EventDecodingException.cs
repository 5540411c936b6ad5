using Annals.Storage;

namespace Annals.Serialization;

/// <summary>A stored event could not be turned into an object: its type name is unknown, or its payload does not fit the type.</summary>
public class EventDecodingException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="record">The stored event.</param>
    /// <param name="problem">What is wrong, as a sentence.</param>
    /// <param name="innerException">The cause, if any.</param>
    public EventDecodingException(RecordedEvent record, string problem, Exception? innerException = null)
        : base($"Event {record.EventId} of type '{record.Type}' in stream '{record.Stream}' at revision {record.Revision} (position {record.Position}) cannot be read: {problem}", innerException)
    {
        EventType = record.Type;
        Stream = record.Stream;
        Revision = record.Revision;
        Position = record.Position;
    }

    /// <summary>The stored type name.</summary>
    public string EventType { get; }

    /// <summary>The event's stream.</summary>
    public StreamName Stream { get; }

    /// <summary>The event's revision in its stream.</summary>
    public long Revision { get; }

    /// <summary>The event's position in the global log.</summary>
    public long Position { get; }
}
