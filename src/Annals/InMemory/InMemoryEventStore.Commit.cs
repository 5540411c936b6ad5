namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <inheritdoc />
    protected override ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        // There is no database for the work's SQL to run in; running the rest without it would break the batch's atomicity.
        if (Array.Exists(operations, o => o is SqlWorkOperation))
        {
            throw new InvalidBatchException("SQL work needs the SQLite or PostgreSQL store; the in-memory store has no database to run it in");
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            var replays = Check(operations);
            return ValueTask.FromResult(Apply(operations, replays));
        }
    }

    /// <summary>Checks every expectation without changing anything; returns the results of appends that are exact re-commits.</summary>
    private AppendResult?[] Check(BatchOperation[] operations)
    {
        var replays = new AppendResult?[operations.Length];

        // Stream operations first: snapshot checks count the batch's own appends, wherever they stand in it.
        var planned = new Dictionary<StreamName, long?>();
        for (var i = 0; i < operations.Length; i++)
        {
            switch (operations[i])
            {
                case AppendOperation append:
                    replays[i] = FindReplay(append);
                    if (replays[i] is null)
                    {
                        var entry = _streams.GetValueOrDefault(append.Stream);
                        CheckExpected(append.Stream, append.Expected, entry?.CurrentRevision);
                        planned[append.Stream] = (entry?.LastRevision ?? -1) + append.Events.Count;
                    }

                    break;
                case TruncateStreamOperation truncate:
                    CheckExpected(truncate.Stream, truncate.Expected, _streams.GetValueOrDefault(truncate.Stream)?.CurrentRevision);
                    break;
                case DeleteStreamOperation delete:
                    CheckExpected(delete.Stream, delete.Expected, _streams.GetValueOrDefault(delete.Stream)?.CurrentRevision);
                    planned[delete.Stream] = null;
                    break;
            }
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendConditionOperation condition:
                    var conflict = LatestMatchingAfter(condition.Filter, condition.AfterPosition);
                    if (conflict is { } position)
                    {
                        throw new AppendConditionFailedException(condition.Filter, condition.AfterPosition, position);
                    }

                    break;
                case SaveSnapshotOperation snapshot:
                    var streamRevision = planned.TryGetValue(snapshot.Stream, out var p) ? p : _streams.GetValueOrDefault(snapshot.Stream)?.CurrentRevision;
                    var stored = _snapshots.GetValueOrDefault(snapshot.Stream)?.Revision;
                    if (streamRevision is null || snapshot.Revision > streamRevision || snapshot.Revision <= stored)
                    {
                        throw new SnapshotConflictException(snapshot.Stream, snapshot.Revision, stored, streamRevision);
                    }

                    break;
                case SaveStateOperation save:
                    var version = _states.GetValueOrDefault(save.Key)?.Version ?? 0;
                    if (version != save.Version - 1)
                    {
                        throw new WrongExpectedVersionException(save.Key, save.Version - 1, version);
                    }

                    break;
                case DeleteStateOperation delete:
                    var current = _states.GetValueOrDefault(delete.Key)?.Version ?? 0;
                    if (current != delete.ExpectedVersion)
                    {
                        throw new WrongExpectedVersionException(delete.Key, delete.ExpectedVersion, current);
                    }

                    break;
                case SaveCheckpointOperation checkpoint:
                    long? at = _checkpoints.TryGetValue(checkpoint.Consumer, out var c) ? c : null;
                    if (at != checkpoint.ExpectedPosition)
                    {
                        throw new CheckpointConflictException(checkpoint.Consumer, checkpoint.ExpectedPosition, at);
                    }

                    break;
                case EnqueueOperation enqueue:
                    if (FindMessage(enqueue.Queue, enqueue.MessageId) is { } existing)
                    {
                        throw new QueueMessageConflictException(enqueue.Queue, enqueue.MessageId, null, existing.Message.Revision);
                    }

                    break;
                case RescheduleOperation reschedule:
                    CheckMessage(reschedule.Queue, reschedule.MessageId, reschedule.ExpectedRevision);
                    break;
                case RemoveMessageOperation remove:
                    CheckMessage(remove.Queue, remove.MessageId, remove.ExpectedRevision);
                    break;
            }
        }

        return replays;
    }

    private static void CheckExpected(StreamName stream, ExpectedRevision expected, long? current)
    {
        if (!expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(stream, expected, current);
        }
    }

    private void CheckMessage(string queue, Guid messageId, long expectedRevision)
    {
        var revision = FindMessage(queue, messageId)?.Message.Revision;
        if (revision != expectedRevision)
        {
            throw new QueueMessageConflictException(queue, messageId, expectedRevision, revision);
        }
    }

    private QueueEntry? FindMessage(string queue, Guid messageId) =>
        _queues.TryGetValue(queue, out var messages) ? messages.GetValueOrDefault(messageId) : null;

    private AppendResult? FindReplay(AppendOperation append) =>
        AppendReplay.Find(append, id => _eventsById.TryGetValue(id, out var e) ? new AppendReplay.StoredEvent(e.Stream, e.Revision, e.Position) : null);

    private long? LatestMatchingAfter(EventFilter filter, long afterPosition)
    {
        for (var index = _log.Count - 1; index >= afterPosition; index--)
        {
            if (_log[index] is { } e && filter.Matches(e.Stream, e.Type))
            {
                return e.Position;
            }
        }

        return null;
    }

    private CommitResult Apply(BatchOperation[] operations, AppendResult?[] replays)
    {
        var now = _time.GetUtcNow();
        var appends = new List<AppendResult>();
        var appended = false;
        for (var i = 0; i < operations.Length; i++)
        {
            switch (operations[i])
            {
                case AppendOperation append:
                    var result = replays[i] ?? AppendEvents(append, now);
                    appended |= replays[i] is null;
                    appends.Add(result);
                    break;
                case SaveSnapshotOperation save:
                    _snapshots[save.Stream] = new Snapshot(save.Stream, save.Revision, save.Type, save.Data.ToArray(), now);
                    break;
                case DeleteSnapshotOperation delete:
                    _snapshots.Remove(delete.Stream);
                    break;
                case SaveStateOperation save:
                    _states[save.Key] = new DurableState(save.Key, save.Version, save.Type, save.Data.ToArray(), now);
                    break;
                case DeleteStateOperation delete:
                    _states.Remove(delete.Key);
                    break;
                case SaveCheckpointOperation checkpoint:
                    _checkpoints[checkpoint.Consumer] = checkpoint.Position;
                    break;
                case EnqueueOperation enqueue:
                    Enqueue(enqueue, now);
                    break;
                case RescheduleOperation reschedule:
                    var queue = _queues[reschedule.Queue];
                    var entry = queue[reschedule.MessageId];
                    queue[reschedule.MessageId] = entry with
                    {
                        Message = entry.Message with
                        {
                            DueAt = reschedule.DueAt,
                            FailureCount = reschedule.FailureCount,
                            LastError = reschedule.LastError,
                            Revision = entry.Message.Revision + 1,
                        },
                    };
                    break;
                case RemoveMessageOperation remove:
                    _queues[remove.Queue].Remove(remove.MessageId);
                    break;
                case TruncateStreamOperation truncate:
                    Truncate(truncate.Stream, truncate.BeforeRevision);
                    break;
                case DeleteStreamOperation delete:
                    Delete(delete.Stream);
                    break;
            }
        }

        if (appended)
        {
            _appended.Fire();
        }

        return new CommitResult(appends);
    }

    private AppendResult AppendEvents(AppendOperation append, DateTimeOffset now)
    {
        if (!_streams.TryGetValue(append.Stream, out var entry))
        {
            entry = new StreamEntry();
            _streams.Add(append.Stream, entry);
        }

        entry.Deleted = false;
        var firstRevision = entry.LastRevision + 1;
        var firstPosition = _log.Count + 1;
        foreach (var e in append.Events)
        {
            var metadata = e.Metadata.Count == 0 ? NoMetadata : new Dictionary<string, string>(e.Metadata);
            var recorded = new RecordedEvent(e.EventId, append.Stream, ++entry.LastRevision, _log.Count + 1, e.Type, e.Data.ToArray(), metadata, now);
            _log.Add(recorded);
            entry.Events.Add(recorded);
            _eventsById[e.EventId] = recorded;
        }

        entry.FirstRevision = entry.Events[0].Revision;
        entry.LastPosition = _log.Count;
        return new AppendResult(append.Stream, firstRevision, entry.LastRevision, firstPosition, entry.LastPosition);
    }

    private void Enqueue(EnqueueOperation enqueue, DateTimeOffset now)
    {
        if (!_queues.TryGetValue(enqueue.Queue, out var queue))
        {
            queue = [];
            _queues.Add(enqueue.Queue, queue);
        }

        var metadata = enqueue.Metadata.Count == 0 ? NoMetadata : new Dictionary<string, string>(enqueue.Metadata);
        var message = new QueueMessage(enqueue.Queue, enqueue.MessageId, enqueue.Type, enqueue.Data.ToArray(), metadata, enqueue.DueAt, 0, null, 0, now);
        queue.Add(enqueue.MessageId, new QueueEntry(message, ++_queueSequence));
    }

    private void Truncate(StreamName stream, long beforeRevision)
    {
        if (!_streams.TryGetValue(stream, out var entry) || entry.CurrentRevision is null)
        {
            return;
        }

        var count = entry.Events.FindIndex(e => e.Revision >= beforeRevision);
        RemoveEvents(entry, count < 0 ? entry.Events.Count : count);
    }

    private void Delete(StreamName stream)
    {
        if (!_streams.TryGetValue(stream, out var entry) || entry.CurrentRevision is null)
        {
            return;
        }

        RemoveEvents(entry, entry.Events.Count);
        entry.Deleted = true;
        _snapshots.Remove(stream);
    }

    private void RemoveEvents(StreamEntry entry, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var e = entry.Events[i];
            _log[(int)(e.Position - 1)] = null;
            _eventsById.Remove(e.EventId);
        }

        entry.Events.RemoveRange(0, count);
        entry.FirstRevision = entry.Events.Count > 0 ? entry.Events[0].Revision : entry.LastRevision + 1;
    }
}
