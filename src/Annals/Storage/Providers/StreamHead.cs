namespace Annals.Storage.Providers;

/// <summary>What a store holds of one stream: the revisions of its events, its last position, and whether it is deleted.</summary>
/// <param name="FirstRevision">
/// The revision of its first stored event; after a truncate or delete that removed them all, the revision the next
/// event will get (<paramref name="LastRevision"/> + 1).
/// </param>
/// <param name="LastRevision">The revision of the last event ever appended, kept across a delete: revisions are never reused.</param>
/// <param name="LastPosition">The position of the last event ever appended to it.</param>
/// <param name="Deleted">Whether the stream is deleted: it does not exist, and an append re-creates it.</param>
public readonly record struct StreamHead(long FirstRevision, long LastRevision, long LastPosition, bool Deleted)
{
    /// <summary>The last revision when the stream exists, <see langword="null"/> when it is deleted: what expectations compare with.</summary>
    public long? CurrentRevision => Deleted ? null : LastRevision;
}
