namespace Annals.Postgres;

/// <summary>
/// What a group of commits needs to know of the database: read in one round trip after the group
/// has taken the head lock (while the lock is held no other writer changes any of it), or, on the
/// fast path, taken from what the writer's last commit left and checked by the group's guards.
/// </summary>
internal sealed class GroupState
{
    public long Head { get; set; }

    public long QueueSequence { get; set; }

    /// <summary>Whether <see cref="QueueSequence"/> was read: only a group that enqueues reads and writes it.</summary>
    public bool HasQueueSequence { get; set; }

    public Dictionary<string, StreamRow?> Streams { get; } = new(StringComparer.Ordinal);

    public Dictionary<Guid, AppendReplay.StoredEvent> EventIds { get; } = [];

    public Dictionary<string, long?> SnapshotRevisions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> StateVersions { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long?> Checkpoints { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Queue, Guid Id), long?> MessageRevisions { get; } = [];

    /// <summary>The group's transaction id, read only for a batch whose SQL work runs alone, to check the work left the transaction open.</summary>
    public string? TransactionId { get; set; }

    /// <summary>For each append condition: the highest stored position matching its filter after its position.</summary>
    public Dictionary<AppendConditionOperation, long?> ConditionConflicts { get; } = [];
}

/// <summary>A row of the streams table.</summary>
internal readonly record struct StreamRow(long First, long Last, long Position, bool Deleted)
{
    public long? Current => Deleted ? null : Last;
}
