namespace Annals.Storage;

/// <summary>
/// Removes a stream's events before a revision. Later events keep their revisions and positions,
/// and the next append continues after the last revision.
/// </summary>
public sealed class TruncateStreamOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="beforeRevision">Events with a lower revision are removed.</param>
    /// <param name="expected">What the stream must be; the stream must exist unless this is <see cref="ExpectedRevision.Any"/>.</param>
    /// <exception cref="ArgumentException">The stream name or <paramref name="expected"/> is the default value.</exception>
    public TruncateStreamOperation(StreamName stream, long beforeRevision, ExpectedRevision expected)
        : base(OperationKind.TruncateStream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(beforeRevision);
        Stream = CheckStream(stream, nameof(stream));
        BeforeRevision = beforeRevision;
        Expected = ExpectedRevision.Check(expected, nameof(expected));
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }

    /// <summary>Events with a lower revision are removed.</summary>
    public long BeforeRevision { get; }

    /// <summary>What the stream must be.</summary>
    public ExpectedRevision Expected { get; }
}
