namespace Annals.Storage.Providers;

/// <summary>
/// What the store holds of the keys a group of batches checks (<see cref="GroupKeys"/>): the store fills it, under
/// whatever makes it stable until the group's writes commit (a lock, a transaction), and a <see cref="CommitPlanner"/>
/// decides the group from it. A key the store does not hold is left out: a stream never written, an event id not
/// stored, no snapshot, no state, no checkpoint, no message, no conflicting event.
/// </summary>
/// <remarks>
/// The planner takes the state over and keeps it up to date as it decides batches: once the group is planned it holds
/// what the group leaves (the new head, streams' heads, …), which a store may keep to decide its next group from.
/// </remarks>
public sealed class StoredState
{
    /// <summary>The log's head: the highest position ever assigned, 0 for an empty store.</summary>
    public long Head { get; set; }

    /// <summary>
    /// The highest sequence number a queued message has taken (0 for none), when <see cref="GroupKeys.Enqueues"/>:
    /// each message enqueued takes the next one. A store that orders messages some other way leaves it 0.
    /// </summary>
    public long QueueSequence { get; set; }

    /// <summary>The heads of the <see cref="GroupKeys.Streams"/> the store holds, deleted ones included.</summary>
    public Dictionary<StreamName, StreamHead> Streams { get; } = [];

    /// <summary>Where the store holds each of the <see cref="GroupKeys.EventIds"/> it holds: the replay rule (<see cref="AppendReplay"/>) needs them.</summary>
    public Dictionary<Guid, AppendReplay.StoredEvent> EventIds { get; } = [];

    /// <summary>The revisions of the stored snapshots of the <see cref="GroupKeys.Snapshots"/>.</summary>
    public Dictionary<StreamName, long> SnapshotRevisions { get; } = [];

    /// <summary>The versions of the stored states of the <see cref="GroupKeys.States"/>.</summary>
    public Dictionary<StreamName, long> StateVersions { get; } = [];

    /// <summary>The stored positions of the <see cref="GroupKeys.Checkpoints"/>.</summary>
    public Dictionary<string, long> Checkpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>The revisions of the stored <see cref="GroupKeys.Messages"/>.</summary>
    public Dictionary<MessageKey, long> MessageRevisions { get; } = [];

    /// <summary>
    /// For each of the <see cref="GroupKeys.Conditions"/> that fails against the store: the highest position of a
    /// stored event that matches its filter and comes after its position. A condition that nothing fails is left out.
    /// </summary>
    public Dictionary<AppendConditionOperation, long> ConditionConflicts { get; } = [];
}
