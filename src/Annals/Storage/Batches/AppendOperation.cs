namespace Annals.Storage;

/// <summary>Appends events to a stream, if the stream meets the expectation.</summary>
public sealed class AppendOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before the append.</param>
    /// <param name="events">The events, in order; at least one.</param>
    /// <exception cref="ArgumentException">The stream name or <paramref name="expected"/> is the default value.</exception>
    public AppendOperation(StreamName stream, ExpectedRevision expected, IReadOnlyList<EventData> events)
        : base(OperationKind.Append)
    {
        ArgumentNullException.ThrowIfNull(events);
        Stream = CheckStream(stream, nameof(stream));
        Expected = ExpectedRevision.Check(expected, nameof(expected));

        // A copy: the list the caller keeps cannot change the batch after it was validated.
        Events = [.. events];
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }

    /// <summary>What the stream must be before the append.</summary>
    public ExpectedRevision Expected { get; }

    /// <summary>The events, in order.</summary>
    public IReadOnlyList<EventData> Events { get; }
}
