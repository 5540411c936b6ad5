namespace Annals.Storage;

/// <summary>What a store knows of one existing stream.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="FirstRevision">The revision of the first event still stored (greater than 0 after a truncation; equal to <paramref name="LastRevision"/> + 1 when every event was truncated).</param>
/// <param name="LastRevision">The revision of the last event ever appended.</param>
/// <param name="LastPosition">The global position of the last event appended.</param>
public sealed record StreamInfo(StreamName Stream, long FirstRevision, long LastRevision, long LastPosition)
{
    /// <summary>The number of events still stored in the stream.</summary>
    public long Count => LastRevision - FirstRevision + 1;
}
