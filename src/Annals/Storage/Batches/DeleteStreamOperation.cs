namespace Annals.Storage;

/// <summary>
/// Deletes a stream: its events and snapshot are removed and it no longer exists. Appending to it
/// again re-creates it, with revisions continuing after the last one it had, so a revision never
/// names two different events.
/// </summary>
public sealed class DeleteStreamOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before it is deleted.</param>
    /// <exception cref="ArgumentException">The stream name or <paramref name="expected"/> is the default value.</exception>
    public DeleteStreamOperation(StreamName stream, ExpectedRevision expected)
        : base(OperationKind.DeleteStream)
    {
        Stream = CheckStream(stream, nameof(stream));
        Expected = ExpectedRevision.Check(expected, nameof(expected));
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }

    /// <summary>What the stream must be before it is deleted.</summary>
    public ExpectedRevision Expected { get; }
}
