namespace Annals.Storage.Providers;

public sealed partial class CommitPlanner
{
    private void SaveSnapshot(SaveSnapshotOperation save)
    {
        // The stream as this batch's appends leave it: they were decided first.
        var streamRevision = _state.Streams.TryGetValue(save.Stream, out var head) ? head.CurrentRevision : null;
        long? stored = _state.SnapshotRevisions.TryGetValue(save.Stream, out var revision) ? revision : null;
        if (streamRevision is null || save.Revision > streamRevision || save.Revision <= stored)
        {
            throw new SnapshotConflictException(save.Stream, save.Revision, stored, streamRevision);
        }

        SetSnapshot(save.Stream, save);
    }

    private void SetSnapshot(StreamName stream, SaveSnapshotOperation? save)
    {
        if (save is null)
        {
            Forget(_state.SnapshotRevisions, stream);
        }
        else
        {
            Remember(_state.SnapshotRevisions, stream, save.Revision);
        }

        Remember(Writes.SnapshotMap, stream, save);
    }

    private void SaveState(SaveStateOperation save)
    {
        var version = _state.StateVersions.GetValueOrDefault(save.Key);
        if (version != save.Version - 1)
        {
            throw new WrongExpectedVersionException(save.Key, save.Version - 1, version);
        }

        Remember(_state.StateVersions, save.Key, save.Version);
        Remember(Writes.StateMap, save.Key, save);
    }

    private void DeleteState(DeleteStateOperation delete)
    {
        var version = _state.StateVersions.GetValueOrDefault(delete.Key);
        if (version != delete.ExpectedVersion)
        {
            throw new WrongExpectedVersionException(delete.Key, delete.ExpectedVersion, version);
        }

        Forget(_state.StateVersions, delete.Key);
        Remember(Writes.StateMap, delete.Key, null);
    }

    private void SaveCheckpoint(SaveCheckpointOperation checkpoint)
    {
        long? stored = _state.Checkpoints.TryGetValue(checkpoint.Consumer, out var position) ? position : null;
        if (stored != checkpoint.ExpectedPosition)
        {
            throw new CheckpointConflictException(checkpoint.Consumer, checkpoint.ExpectedPosition, stored);
        }

        Remember(_state.Checkpoints, checkpoint.Consumer, checkpoint.Position);
        Remember(Writes.CheckpointMap, checkpoint.Consumer, checkpoint.Position);
    }

    private void Enqueue(EnqueueOperation enqueue)
    {
        var key = new MessageKey(enqueue.Queue, enqueue.MessageId);
        if (_state.MessageRevisions.TryGetValue(key, out var existing))
        {
            throw new QueueMessageConflictException(enqueue.Queue, enqueue.MessageId, null, existing);
        }

        _undo.Add(new QueueSequenceRestore(_state, _state.QueueSequence));
        _state.QueueSequence++;
        var insert = new MessageInsert(enqueue, enqueue.DueAt, 0, null, 0, _state.QueueSequence, _now);
        Remember(_state.MessageRevisions, key, 0);

        // Not stored before the group unless an earlier batch of it removed the stored one.
        var existedBefore = Writes.MessageMap.TryGetValue(key, out var earlier) && earlier.ExistedBefore;
        Remember(Writes.MessageMap, key, new MessageWrite(existedBefore, insert, null));
    }

    private void Reschedule(RescheduleOperation reschedule)
    {
        var key = CheckMessage(reschedule.Queue, reschedule.MessageId, reschedule.ExpectedRevision);
        var revision = reschedule.ExpectedRevision + 1;
        Remember(_state.MessageRevisions, key, revision);

        // A message the group enqueued is inserted as the reschedule leaves it; a stored one is updated.
        var write = Writes.MessageMap.TryGetValue(key, out var earlier) && earlier.Insert is { } inserted
            ? earlier with { Insert = inserted with { DueAt = reschedule.DueAt, FailureCount = reschedule.FailureCount, LastError = reschedule.LastError, Revision = revision } }
            : new MessageWrite(true, null, new MessageUpdate(reschedule.DueAt, reschedule.FailureCount, reschedule.LastError, revision));
        Remember(Writes.MessageMap, key, write);
    }

    private void RemoveMessage(RemoveMessageOperation remove)
    {
        var key = CheckMessage(remove.Queue, remove.MessageId, remove.ExpectedRevision);
        Forget(_state.MessageRevisions, key);
        var existedBefore = !Writes.MessageMap.TryGetValue(key, out var earlier) || earlier.ExistedBefore;
        Remember(Writes.MessageMap, key, new MessageWrite(existedBefore, null, null));
    }

    private MessageKey CheckMessage(string queue, Guid messageId, long expectedRevision)
    {
        var key = new MessageKey(queue, messageId);
        long? revision = _state.MessageRevisions.TryGetValue(key, out var stored) ? stored : null;
        if (revision != expectedRevision)
        {
            throw new QueueMessageConflictException(queue, messageId, expectedRevision, revision);
        }

        return key;
    }
}
