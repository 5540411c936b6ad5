using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <inheritdoc />
    /// <remarks>
    /// The three steps of every store's commit, with a group of one batch: load what the batch checks, let the
    /// <see cref="CommitPlanner"/> decide it, and write the net effect.
    /// </remarks>
    protected override ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        var keys = GroupKeys.For(operations);

        // There is no database for the work's SQL to run in; running the rest without it would break the batch's atomicity.
        if (keys.HasSqlWork)
        {
            throw new InvalidBatchException("SQL work needs the SQLite or PostgreSQL store; the in-memory store has no database to run it in");
        }

        lock (_lock)
        {
            ThrowIfDisposed();
            var planner = new CommitPlanner(Load(keys), _time.GetUtcNow());
            var decision = planner.Decide(operations);
            if (!decision.Succeeded)
            {
                throw decision.Error;
            }

            Write(planner.Writes);
            return ValueTask.FromResult(decision.Result);
        }
    }

    /// <summary>Reads what the batch checks.</summary>
    private StoredState Load(GroupKeys keys)
    {
        var state = new StoredState { Head = _log.Count, QueueSequence = _queueSequence };
        foreach (var stream in keys.Streams)
        {
            if (_streams.TryGetValue(stream, out var entry))
            {
                state.Streams[stream] = new StreamHead(entry.FirstRevision, entry.LastRevision, entry.LastPosition, entry.Deleted);
            }
        }

        foreach (var id in keys.EventIds)
        {
            if (_eventsById.TryGetValue(id, out var e))
            {
                state.EventIds[id] = new AppendReplay.StoredEvent(e.Stream, e.Revision, e.Position);
            }
        }

        foreach (var stream in keys.Snapshots)
        {
            if (_snapshots.TryGetValue(stream, out var snapshot))
            {
                state.SnapshotRevisions[stream] = snapshot.Revision;
            }
        }

        foreach (var key in keys.States)
        {
            if (_states.TryGetValue(key, out var stored))
            {
                state.StateVersions[key] = stored.Version;
            }
        }

        foreach (var consumer in keys.Checkpoints)
        {
            if (_checkpoints.TryGetValue(consumer, out var position))
            {
                state.Checkpoints[consumer] = position;
            }
        }

        foreach (var message in keys.Messages)
        {
            if (_queues.TryGetValue(message.Queue, out var queue) && queue.TryGetValue(message.MessageId, out var entry))
            {
                state.MessageRevisions[message] = entry.Message.Revision;
            }
        }

        foreach (var condition in keys.Conditions)
        {
            if (LatestMatchingAfter(condition.Filter, condition.AfterPosition) is { } position)
            {
                state.ConditionConflicts[condition] = position;
            }
        }

        return state;
    }

    private long? LatestMatchingAfter(EventFilter filter, long afterPosition)
    {
        if (TagIndex.Serves(filter))
        {
            return _tags.Latest(filter, afterPosition, position => _log[(int)(position - 1)] is { } e && filter.Matches(e));
        }

        for (var index = _log.Count - 1; index >= afterPosition; index--)
        {
            if (_log[index] is { } e && filter.Matches(e))
            {
                return e.Position;
            }
        }

        return null;
    }

    /// <summary>Writes the net effect of the batch.</summary>
    private void Write(GroupWrites writes)
    {
        foreach (var (stream, cutoff) in writes.StoredEventCutoffs)
        {
            RemoveEvents(_streams[stream], cutoff);
        }

        var events = writes.Events;
        for (var i = 0; i < events.Count; i++)
        {
            AddEvent(events[i]);
        }

        // Positions are never reused, also those of events the group appended and removed again.
        while (_log.Count < writes.Head)
        {
            _log.Add(null);
        }

        foreach (var (stream, write) in writes.Streams)
        {
            var entry = Entry(stream);
            (entry.FirstRevision, entry.LastRevision, entry.LastPosition, entry.Deleted) = write.Head;
        }

        var at = writes.Timestamp;
        foreach (var (stream, save) in writes.Snapshots)
        {
            SetOrRemove(_snapshots, stream, save is null ? null : new Snapshot(stream, save.Revision, save.Type, save.Data.ToArray(), at));
        }

        foreach (var (key, save) in writes.States)
        {
            SetOrRemove(_states, key, save is null ? null : new DurableState(key, save.Version, save.Type, save.Data.ToArray(), at));
        }

        foreach (var (consumer, position) in writes.Checkpoints)
        {
            _checkpoints[consumer] = position;
        }

        foreach (var (key, write) in writes.Messages)
        {
            WriteMessage(key, write);
        }

        _queueSequence = writes.QueueSequence;
        if (events.Count > 0)
        {
            _appended.Fire();
        }
    }

    private void AddEvent(NewEvent e)
    {
        while (_log.Count < e.Position - 1)
        {
            _log.Add(null);
        }

        var metadata = e.Event.Metadata.Count == 0 ? NoMetadata : new Dictionary<string, string>(e.Event.Metadata);
        var recorded = new RecordedEvent(e.Event.EventId, e.Stream, e.Revision, e.Position, e.Event.Type, e.Event.Data.ToArray(), metadata, e.Timestamp)
        {
            Tags = e.Event.Tags,
        };
        _log.Add(recorded);
        _tags.Add(recorded);
        Entry(e.Stream).Events.Add(recorded);
        _eventsById[recorded.EventId] = recorded;
    }

    /// <summary>Removes a stream's stored events below the revision from the stream, the log and the ids.</summary>
    private void RemoveEvents(StreamEntry entry, long beforeRevision)
    {
        var count = 0;
        while (count < entry.Events.Count && entry.Events[count].Revision < beforeRevision)
        {
            var e = entry.Events[count++];
            _log[(int)(e.Position - 1)] = null;
            _eventsById.Remove(e.EventId);
            _tags.Remove(e);
        }

        entry.Events.RemoveRange(0, count);
    }

    private void WriteMessage(MessageKey key, MessageWrite write)
    {
        if (!_queues.TryGetValue(key.Queue, out var queue))
        {
            queue = [];
            _queues.Add(key.Queue, queue);
        }

        if (write.Insert is { } insert)
        {
            var enqueue = insert.Enqueue;
            var metadata = enqueue.Metadata.Count == 0 ? NoMetadata : new Dictionary<string, string>(enqueue.Metadata);
            var message = new QueueMessage(key.Queue, key.MessageId, enqueue.Type, enqueue.Data.ToArray(), metadata, insert.DueAt, insert.FailureCount, insert.LastError, insert.Revision, insert.EnqueuedAt);
            queue[key.MessageId] = new QueueEntry(message, insert.Sequence);
        }
        else if (write.Update is { } update)
        {
            var entry = queue[key.MessageId];
            queue[key.MessageId] = entry with
            {
                Message = entry.Message with { DueAt = update.DueAt, FailureCount = update.FailureCount, LastError = update.LastError, Revision = update.Revision },
            };
        }
        else
        {
            queue.Remove(key.MessageId);
        }
    }

    private StreamEntry Entry(StreamName stream)
    {
        if (!_streams.TryGetValue(stream, out var entry))
        {
            entry = new StreamEntry();
            _streams.Add(stream, entry);
        }

        return entry;
    }

    private static void SetOrRemove<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, TValue? value)
        where TKey : notnull
        where TValue : class
    {
        if (value is null)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = value;
        }
    }
}
