namespace Annals.Storage;

/// <summary>
/// A snapshot could not be saved: its revision is not after the stored snapshot's, or is beyond
/// the stream's last revision (counting events appended in the same batch).
/// </summary>
public sealed class SnapshotConflictException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="stream">The snapshot's stream.</param>
    /// <param name="revision">The revision of the snapshot being saved.</param>
    /// <param name="storedRevision">The revision of the stored snapshot, if any.</param>
    /// <param name="streamRevision">The stream's last revision, or <see langword="null"/> when it does not exist.</param>
    public SnapshotConflictException(StreamName stream, long revision, long? storedRevision, long? streamRevision)
        : base(Describe(stream, revision, storedRevision, streamRevision))
    {
        Stream = stream;
        Revision = revision;
        StoredRevision = storedRevision;
        StreamRevision = streamRevision;
    }

    /// <summary>The snapshot's stream.</summary>
    public StreamName Stream { get; }

    /// <summary>The revision of the snapshot being saved.</summary>
    public long Revision { get; }

    /// <summary>The revision of the stored snapshot, if any.</summary>
    public long? StoredRevision { get; }

    /// <summary>The stream's last revision, or <see langword="null"/> when it does not exist.</summary>
    public long? StreamRevision { get; }

    private static string Describe(StreamName stream, long revision, long? stored, long? streamRevision)
    {
        if (streamRevision is null || revision > streamRevision)
        {
            var state = streamRevision is { } s ? $"whose last revision is {s}" : "which does not exist";
            return $"Snapshot of '{stream}' at revision {revision} is beyond the stream, {state}.";
        }

        return $"Snapshot of '{stream}' at revision {revision} is not newer than the stored snapshot at revision {stored}.";
    }
}
