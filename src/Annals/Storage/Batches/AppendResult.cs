namespace Annals.Storage;

/// <summary>Where the events of one append were stored.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="FirstRevision">The revision of the first event appended.</param>
/// <param name="LastRevision">The revision of the last event appended; expect it on the next append.</param>
/// <param name="FirstPosition">The global position of the first event appended.</param>
/// <param name="LastPosition">The global position of the last event appended.</param>
public sealed record AppendResult(StreamName Stream, long FirstRevision, long LastRevision, long FirstPosition, long LastPosition)
{
    /// <summary>The expectation for the next append to the stream.</summary>
    public ExpectedRevision NextExpected => ExpectedRevision.Exact(LastRevision);
}
