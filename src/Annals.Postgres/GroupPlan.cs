namespace Annals.Postgres;

/// <summary>
/// Decides a group of batches in memory, in order, against the state read under the head lock,
/// exactly as the contract says, and gathers the net effect of the batches that succeed so it
/// can be written in a few set-based statements. A failing batch is undone and never affects
/// its neighbours.
/// </summary>
internal sealed class GroupPlan
{
    private readonly GroupState _state;
    private readonly DateTimeOffset _now;
    private readonly List<UndoStep> _undo = [];
    private readonly Func<Guid, AppendReplay.StoredEvent?> _findEvent;

    // Streams whose row the group creates, revives, truncates or deletes. Not undone with a failing batch: a row written
    // with the values it already has costs a statement, never a wrong value.
    private readonly HashSet<string> _rowsToWrite = new(StringComparer.Ordinal);

    public GroupPlan(GroupState state, DateTimeOffset now)
    {
        _state = state;
        _now = now;
        FirstPosition = state.Head + 1;
        _findEvent = FindEvent;
    }

    public long FirstPosition { get; }

    /// <summary>Events appended by the group and still present at its end, by stream.</summary>
    public Dictionary<string, List<EventRow>> NewEvents { get; } = new(StringComparer.Ordinal);

    /// <summary>Stored events to delete first: those of the stream below the revision.</summary>
    public Dictionary<string, long> StoredEventCutoffs { get; } = new(StringComparer.Ordinal);

    /// <summary>Streams' rows as the group leaves them, by stream.</summary>
    public Dictionary<string, StreamRow> StreamWrites { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The rows of <see cref="StreamWrites"/> the database must be told of: new streams, and those whose first
    /// revision, deleted flag or stored events the group changed. A plain append leaves its stream's row alone
    /// (see <see cref="StreamRows"/>).
    /// </summary>
    public IEnumerable<KeyValuePair<string, StreamRow>> StreamRowWrites => StreamWrites.Where(w => _rowsToWrite.Contains(w.Key));

    public Dictionary<string, VersionedRow?> SnapshotWrites { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, VersionedRow?> StateWrites { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> CheckpointWrites { get; } = new(StringComparer.Ordinal);

    public Dictionary<(string Queue, Guid Id), MessageWrite> MessageWrites { get; } = [];

    /// <summary>Whether a later batch's append condition could be misjudged: the group removed stored events.</summary>
    public bool RemovedStoredEvents { get; private set; }

    /// <summary>Whether the batch decided last is a replay: its events are stored, so it committed before.</summary>
    public bool LastReplayed { get; private set; }

    /// <summary>Decides one batch: its result, or the expectation that failed (nothing of it is kept).</summary>
    public object Decide(BatchOperation[] operations)
    {
        _undo.Clear();
        LastReplayed = false;
        try
        {
            return Apply(operations);
        }
        catch (AnnalsException e)
        {
            UndoLast();
            return e;
        }
    }

    /// <summary>Forgets the batch decided last, as if it had failed: its SQL work failed after it was decided.</summary>
    public void UndoLast()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i].Undo();
        }

        _undo.Clear();
    }

    private CommitResult Apply(BatchOperation[] operations)
    {
        foreach (var operation in operations)
        {
            if (operation is AppendConditionOperation condition && LatestMatching(condition) is { } conflict)
            {
                throw new AppendConditionFailedException(condition.Filter, condition.AfterPosition, conflict);
            }
        }

        var appends = new List<AppendResult>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendOperation append:
                    appends.Add(Append(append));
                    break;
                case TruncateStreamOperation truncate:
                    Truncate(truncate.Stream, truncate.Expected, truncate.BeforeRevision, delete: false);
                    break;
                case DeleteStreamOperation delete:
                    Truncate(delete.Stream, delete.Expected, long.MaxValue, delete: true);
                    break;
            }
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case SaveSnapshotOperation save:
                    var streamRevision = Stream(save.Stream.Value)?.Current;
                    var stored = SnapshotRevision(save.Stream.Value);
                    if (streamRevision is null || save.Revision > streamRevision || save.Revision <= stored)
                    {
                        throw new SnapshotConflictException(save.Stream, save.Revision, stored, streamRevision);
                    }

                    SetSnapshot(save.Stream.Value, new VersionedRow(save.Revision, save.Type, save.Data.ToArray(), _now.UtcTicks));
                    break;
                case DeleteSnapshotOperation delete:
                    SetSnapshot(delete.Stream.Value, null);
                    break;
                case SaveStateOperation save:
                    var version = StateVersion(save.Key.Value);
                    if (version != save.Version - 1)
                    {
                        throw new WrongExpectedVersionException(save.Key, save.Version - 1, version);
                    }

                    SetState(save.Key.Value, new VersionedRow(save.Version, save.Type, save.Data.ToArray(), _now.UtcTicks));
                    break;
                case DeleteStateOperation delete:
                    var current = StateVersion(delete.Key.Value);
                    if (current != delete.ExpectedVersion)
                    {
                        throw new WrongExpectedVersionException(delete.Key, delete.ExpectedVersion, current);
                    }

                    SetState(delete.Key.Value, null);
                    break;
                case SaveCheckpointOperation checkpoint:
                    var at = Checkpoint(checkpoint.Consumer);
                    if (at != checkpoint.ExpectedPosition)
                    {
                        throw new CheckpointConflictException(checkpoint.Consumer, checkpoint.ExpectedPosition, at);
                    }

                    Remember(_state.Checkpoints, checkpoint.Consumer, checkpoint.Position);
                    Remember(CheckpointWrites, checkpoint.Consumer, checkpoint.Position);
                    break;
                case EnqueueOperation enqueue:
                    Enqueue(enqueue);
                    break;
                case RescheduleOperation reschedule:
                    Reschedule(reschedule);
                    break;
                case RemoveMessageOperation remove:
                    CheckMessage(remove.Queue, remove.MessageId, remove.ExpectedRevision);
                    var key = (remove.Queue, remove.MessageId);
                    Remember(_state.MessageRevisions, key, null);
                    var write = MessageWrites.GetValueOrDefault(key);
                    Remember(MessageWrites, key, new MessageWrite(write?.ExistedBefore ?? true, null, null));
                    break;
                case SqlWorkOperation:
                    // Nothing to decide: the writer runs the work once the batch is decided.
                    break;
            }
        }

        return new CommitResult(appends);
    }

    private AppendResult Append(AppendOperation append)
    {
        var stream = append.Stream.Value;
        var row = Stream(stream);
        if (AppendReplay.Find(append, _findEvent) is { } replay)
        {
            LastReplayed = true;
            return replay;
        }

        if (!append.Expected.IsSatisfiedBy(row?.Current))
        {
            throw new WrongExpectedRevisionException(append.Stream, append.Expected, row?.Current);
        }

        var firstRevision = (row?.Last ?? -1) + 1;
        var firstPosition = _state.Head + 1;
        if (!NewEvents.TryGetValue(stream, out var list))
        {
            list = [];
            NewEvents.Add(stream, list);
            _undo.Add(new Removal<string, List<EventRow>>(NewEvents, stream));
        }

        var count = list.Count;
        _undo.Add(new Shortening(list, count));
        for (var i = 0; i < append.Events.Count; i++)
        {
            var e = append.Events[i];
            var recorded = new EventRow(firstPosition + i, e.EventId, append.Stream, firstRevision + i, e.Type, e.Data.ToArray(), MetadataJson.Encode(e.Metadata), _now.UtcTicks);
            list.Add(recorded);
            Remember(_state.EventIds, e.EventId, new AppendReplay.StoredEvent(append.Stream, recorded.Revision, recorded.Position));
        }

        var head = _state.Head;
        _undo.Add(new HeadRestore(_state, head));
        _state.Head += append.Events.Count;
        if (row is not { Deleted: false })
        {
            _rowsToWrite.Add(stream);
        }

        SetStream(stream, new StreamRow(row?.First ?? 0, firstRevision + append.Events.Count - 1, _state.Head, false));
        return new AppendResult(append.Stream, firstRevision, firstRevision + append.Events.Count - 1, firstPosition, _state.Head);
    }

    private void Truncate(StreamName name, ExpectedRevision expected, long beforeRevision, bool delete)
    {
        var stream = name.Value;
        var row = Stream(stream);
        if (!expected.IsSatisfiedBy(row?.Current))
        {
            throw new WrongExpectedRevisionException(name, expected, row?.Current);
        }

        if (row is not { Deleted: false } live)
        {
            return;
        }

        var cutoff = delete ? live.Last + 1 : Math.Min(beforeRevision, live.Last + 1);
        if (NewEvents.TryGetValue(stream, out var list))
        {
            var removed = list.Where(e => e.Revision < cutoff).ToList();
            list.RemoveAll(e => e.Revision < cutoff);
            _undo.Add(new Step(() => { list.AddRange(removed); list.Sort((a, b) => a.Revision.CompareTo(b.Revision)); }));
            foreach (var e in removed)
            {
                Forget(_state.EventIds, e.EventId);
            }
        }

        // Stored events of the stream below the cut-off are gone, and so are their ids.
        Remember(StoredEventCutoffs, stream, Math.Max(StoredEventCutoffs.GetValueOrDefault(stream), cutoff));
        var removedFlag = RemovedStoredEvents;
        _undo.Add(new Step(() => RemovedStoredEvents = removedFlag));
        RemovedStoredEvents = true;
        _rowsToWrite.Add(stream);
        SetStream(stream, new StreamRow(Math.Max(live.First, cutoff), live.Last, live.Position, delete));
        if (delete)
        {
            SetSnapshot(stream, null);
        }
    }

    private AppendReplay.StoredEvent? FindEvent(Guid id)
    {
        if (!_state.EventIds.TryGetValue(id, out var stored))
        {
            return null;
        }

        // An id stored before the group is forgotten once the group removed its event.
        return stored.Position < FirstPosition && StoredEventCutoffs.TryGetValue(stored.Stream.Value, out var cutoff) && stored.Revision < cutoff
            ? null
            : stored;
    }

    private long? LatestMatching(AppendConditionOperation condition)
    {
        long? latest = _state.ConditionConflicts.GetValueOrDefault(condition);
        foreach (var list in NewEvents.Values)
        {
            foreach (var e in list)
            {
                if (e.Position > condition.AfterPosition && (latest is null || e.Position > latest) && condition.Filter.Matches(e.Stream, e.Type))
                {
                    latest = e.Position;
                }
            }
        }

        return latest;
    }

    private void Enqueue(EnqueueOperation enqueue)
    {
        var key = (enqueue.Queue, enqueue.MessageId);
        if (_state.MessageRevisions.GetValueOrDefault(key) is { } existing)
        {
            throw new QueueMessageConflictException(enqueue.Queue, enqueue.MessageId, null, existing);
        }

        var sequence = _state.QueueSequence;
        _undo.Add(new Step(() => _state.QueueSequence = sequence));
        _state.QueueSequence++;
        var row = new MessageRow(enqueue.Type, enqueue.Data.ToArray(), MetadataJson.Encode(enqueue.Metadata), enqueue.DueAt.UtcTicks, 0, null, 0, _now.UtcTicks, _state.QueueSequence);
        Remember(_state.MessageRevisions, key, 0);
        var write = MessageWrites.GetValueOrDefault(key);
        Remember(MessageWrites, key, new MessageWrite(write?.ExistedBefore ?? false, row, null));
    }

    private void Reschedule(RescheduleOperation reschedule)
    {
        CheckMessage(reschedule.Queue, reschedule.MessageId, reschedule.ExpectedRevision);
        var key = (reschedule.Queue, reschedule.MessageId);
        var revision = reschedule.ExpectedRevision + 1;
        Remember(_state.MessageRevisions, key, revision);
        var update = new MessageUpdate(reschedule.DueAt.UtcTicks, reschedule.FailureCount, reschedule.LastError, revision);
        var write = MessageWrites.GetValueOrDefault(key);
        Remember(MessageWrites, key, write?.Insert is { } inserted
            ? write with { Insert = inserted with { DueAt = update.DueAt, FailureCount = update.FailureCount, LastError = update.LastError, Revision = revision } }
            : new MessageWrite(true, null, update));
    }

    private void CheckMessage(string queue, Guid messageId, long expectedRevision)
    {
        var revision = _state.MessageRevisions.GetValueOrDefault((queue, messageId));
        if (revision != expectedRevision)
        {
            throw new QueueMessageConflictException(queue, messageId, expectedRevision, revision);
        }
    }

    private StreamRow? Stream(string stream) => _state.Streams.GetValueOrDefault(stream);

    private long? SnapshotRevision(string stream) => _state.SnapshotRevisions.GetValueOrDefault(stream);

    private long StateVersion(string key) => _state.StateVersions.GetValueOrDefault(key);

    private long? Checkpoint(string consumer) => _state.Checkpoints.GetValueOrDefault(consumer);

    private void SetStream(string stream, StreamRow row)
    {
        Remember(_state.Streams, stream, row);
        Remember(StreamWrites, stream, row);
    }

    private void SetSnapshot(string stream, VersionedRow? row)
    {
        Remember(_state.SnapshotRevisions, stream, row?.Version);
        Remember(SnapshotWrites, stream, row);
    }

    private void SetState(string key, VersionedRow? row)
    {
        Remember(_state.StateVersions, key, row?.Version ?? 0);
        Remember(StateWrites, key, row);
    }

    /// <summary>Sets a value (null removes it) and records how to undo that if the batch fails.</summary>
    private void Remember<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, TValue value)
        where TKey : notnull
    {
        _undo.Add(map.TryGetValue(key, out var previous) ? new Restore<TKey, TValue>(map, key, previous) : new Removal<TKey, TValue>(map, key));
        map[key] = value;
    }

    /// <summary>Removes a value and records how to undo that if the batch fails.</summary>
    private void Forget<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key)
        where TKey : notnull
    {
        if (map.Remove(key, out var previous))
        {
            _undo.Add(new Restore<TKey, TValue>(map, key, previous));
        }
    }

    /// <summary>
    /// How to take back one change of the batch decided last. The frequent steps are classes of their own rather than
    /// lambdas, so that each costs one small object instead of a closure and a delegate.
    /// </summary>
    private abstract class UndoStep
    {
        public abstract void Undo();
    }

    private sealed class Step(Action undo) : UndoStep
    {
        public override void Undo() => undo();
    }

    private sealed class Restore<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, TValue previous) : UndoStep
        where TKey : notnull
    {
        public override void Undo() => map[key] = previous;
    }

    private sealed class Removal<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key) : UndoStep
        where TKey : notnull
    {
        public override void Undo() => map.Remove(key);
    }

    private sealed class Shortening(List<EventRow> list, int count) : UndoStep
    {
        public override void Undo() => list.RemoveRange(count, list.Count - count);
    }

    private sealed class HeadRestore(GroupState state, long head) : UndoStep
    {
        public override void Undo() => state.Head = head;
    }
}
