using Annals.Storage;

namespace Annals.InMemory;

/// <summary>One stream's stored events and counters. Guarded by the store's lock.</summary>
internal sealed class StreamEntry
{
    /// <summary>The stored events, in revision order, from <see cref="FirstRevision"/> on.</summary>
    public List<RecordedEvent> Events { get; } = [];

    public long FirstRevision { get; set; }

    /// <summary>The last revision ever appended, -1 before the first append; kept across a delete so revisions are never reused.</summary>
    public long LastRevision { get; set; } = -1;

    public long LastPosition { get; set; }

    public bool Deleted { get; set; }

    /// <summary>The last revision when the stream exists, else null: what expectations compare with.</summary>
    public long? CurrentRevision => Deleted || LastRevision < 0 ? null : LastRevision;
}
