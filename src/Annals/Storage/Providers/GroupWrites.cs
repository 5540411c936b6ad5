namespace Annals.Storage.Providers;

/// <summary>
/// The net effect of the batches of a group that succeed, as a <see cref="CommitPlanner"/> gathers it: what the
/// store writes, in one transaction, to commit them all. A failed batch leaves nothing here.
/// </summary>
/// <remarks>
/// Write it in this order: remove the stored events below <see cref="StoredEventCutoffs"/>, insert <see cref="Events"/>,
/// then the rest in any order. Every value is final: an item the group changed twice is here once, as the group leaves it.
/// </remarks>
public sealed class GroupWrites
{
    private readonly StoredState _state;

    internal GroupWrites(StoredState state, DateTimeOffset timestamp)
    {
        _state = state;
        FirstPosition = state.Head + 1;
        Timestamp = timestamp;
    }

    /// <summary>The position of the group's first event: the head before the group + 1.</summary>
    public long FirstPosition { get; }

    /// <summary>
    /// The head after the group: the last position it assigned, or <see cref="FirstPosition"/> - 1 when it appended
    /// nothing. Also when the group removed its last events again: positions are never reused.
    /// </summary>
    public long Head => _state.Head;

    /// <summary>Whether the group assigned positions, so the head moved on (and subscribers may be told).</summary>
    public bool Appended => _state.Head >= FirstPosition;

    /// <summary>The queue sequence after the group, to store when <see cref="GroupKeys.Enqueues"/>.</summary>
    public long QueueSequence => _state.QueueSequence;

    /// <summary>The time the group was planned at: the timestamp of its events, snapshots, states and messages.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The events to insert, in position order: those the group appended and did not remove again.</summary>
    public IReadOnlyList<NewEvent> Events => EventList;

    /// <summary>
    /// For each stream the group truncated or deleted: remove its events stored before the group (positions below
    /// <see cref="FirstPosition"/>) whose revision is below the cut-off. Their ids are forgotten: they may be used again.
    /// </summary>
    public IReadOnlyDictionary<StreamName, long> StoredEventCutoffs => CutoffMap;

    /// <summary>The streams the group appended to, truncated or deleted, as it leaves them.</summary>
    public IReadOnlyDictionary<StreamName, StreamWrite> Streams => StreamMap;

    /// <summary>The snapshots to save, by stream; <see langword="null"/> deletes the stored one (nothing when there is none).</summary>
    public IReadOnlyDictionary<StreamName, SaveSnapshotOperation?> Snapshots => SnapshotMap;

    /// <summary>The durable states to save, by key; <see langword="null"/> deletes the stored one.</summary>
    public IReadOnlyDictionary<StreamName, SaveStateOperation?> States => StateMap;

    /// <summary>The checkpoints to save: each consumer's new position.</summary>
    public IReadOnlyDictionary<string, long> Checkpoints => CheckpointMap;

    /// <summary>The queued messages to insert, update or delete.</summary>
    public IReadOnlyDictionary<MessageKey, MessageWrite> Messages => MessageMap;

    internal List<NewEvent> EventList { get; } = [];

    internal Dictionary<StreamName, long> CutoffMap { get; } = [];

    internal Dictionary<StreamName, StreamWrite> StreamMap { get; } = [];

    internal Dictionary<StreamName, SaveSnapshotOperation?> SnapshotMap { get; } = [];

    internal Dictionary<StreamName, SaveStateOperation?> StateMap { get; } = [];

    internal Dictionary<string, long> CheckpointMap { get; } = new(StringComparer.Ordinal);

    internal Dictionary<MessageKey, MessageWrite> MessageMap { get; } = [];
}
