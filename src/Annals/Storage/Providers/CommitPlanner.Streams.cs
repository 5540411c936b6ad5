namespace Annals.Storage.Providers;

public sealed partial class CommitPlanner
{
    // Whether the group removed stored events, which an append condition's stored conflict may count.
    private bool _removedStoredEvents;

    private AppendResult Append(AppendOperation append)
    {
        // A replay is judged before the expectation: a re-commit returns the original result, whatever the stream is now.
        if (AppendReplay.Find(append, _findEvent) is { } replay)
        {
            _replayed = true;
            return replay;
        }

        var stream = append.Stream;
        var found = _state.Streams.TryGetValue(stream, out var head);
        var current = found ? head.CurrentRevision : null;
        if (!append.Expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(stream, append.Expected, current);
        }

        var events = append.Events;
        var list = Writes.EventList;
        var count = list.Count;
        var firstRevision = (found ? head.LastRevision : -1) + 1;
        var firstPosition = _state.Head + 1;
        var ids = _state.EventIds;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            list.Add(new NewEvent(stream, firstRevision + i, firstPosition + i, e, _now));

            // An id still in the map was stored before the group and its event removed by it: it may be used again.
            if (ids.TryGetValue(e.EventId, out var removed))
            {
                _undo.Add(new Restore<Guid, AppendReplay.StoredEvent>(ids, e.EventId, removed));
            }

            ids[e.EventId] = new AppendReplay.StoredEvent(stream, firstRevision + i, firstPosition + i);
        }

        // After the restores, so that it runs before them: it removes the ids the append added.
        _undo.Add(new AppendUndo(this, count, _state.Head));
        _state.Head += events.Count;
        var lastRevision = firstRevision + events.Count - 1;
        SetStream(stream, new StreamHead(found ? head.FirstRevision : 0, lastRevision, _state.Head, Deleted: false), appendedOnly: current is not null);
        return new AppendResult(stream, firstRevision, lastRevision, firstPosition, _state.Head);
    }

    private void Truncate(StreamName stream, ExpectedRevision expected, long beforeRevision, bool delete)
    {
        var found = _state.Streams.TryGetValue(stream, out var head);
        var current = found ? head.CurrentRevision : null;
        if (!expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(stream, expected, current);
        }

        if (current is null)
        {
            // A stream that does not exist has nothing to remove.
            return;
        }

        var cutoff = delete ? head.LastRevision + 1 : Math.Min(beforeRevision, head.LastRevision + 1);
        if (!delete && cutoff <= head.FirstRevision)
        {
            // Nothing stored below the revision: the truncate changes nothing.
            return;
        }

        RemoveNewEvents(stream, cutoff);

        // Stored events of the stream below the cut-off are gone, and so are their ids (see FindEvent).
        if (!Writes.CutoffMap.TryGetValue(stream, out var previous) || previous < cutoff)
        {
            Remember(Writes.CutoffMap, stream, cutoff);
        }

        if (!_removedStoredEvents)
        {
            _undo.Add(new RemovedStoredEventsReset(this));
            _removedStoredEvents = true;
        }

        SetStream(stream, new StreamHead(Math.Max(head.FirstRevision, cutoff), head.LastRevision, head.LastPosition, delete), appendedOnly: false);
        if (delete)
        {
            SetSnapshot(stream, null);
        }
    }

    /// <summary>Removes the events an earlier batch of the group appended to the stream below the cut-off, and forgets their ids.</summary>
    private void RemoveNewEvents(StreamName stream, long cutoff)
    {
        var list = Writes.EventList;
        List<NewEvent>? removed = null;
        var kept = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var e = list[i];
            if (e.Revision < cutoff && e.Stream == stream)
            {
                (removed ??= []).Add(e);
                Forget(_state.EventIds, e.Event.EventId);
            }
            else
            {
                list[kept++] = e;
            }
        }

        if (removed is not null)
        {
            list.RemoveRange(kept, list.Count - kept);
            _undo.Add(new Reinsertion(list, removed));
        }
    }

    private void CheckCondition(AppendConditionOperation condition)
    {
        long? latest = _state.ConditionConflicts.TryGetValue(condition, out var stored) ? stored : null;

        // Events of the group's earlier batches count as stored. They are in position order: the last match is the latest.
        var list = Writes.EventList;
        var floor = Math.Max(condition.AfterPosition, latest ?? 0);
        for (var i = list.Count - 1; i >= 0 && list[i].Position > floor; i--)
        {
            if (condition.Filter.Matches(list[i].Stream, list[i].Event.Type, list[i].Event.Tags))
            {
                latest = list[i].Position;
                break;
            }
        }

        if (latest is { } conflict)
        {
            throw new AppendConditionFailedException(condition.Filter, condition.AfterPosition, conflict);
        }
    }

    /// <summary>Where an event id is stored, as the batches decided so far leave the store.</summary>
    private AppendReplay.StoredEvent? FindEvent(Guid id)
    {
        if (!_state.EventIds.TryGetValue(id, out var stored))
        {
            return null;
        }

        // An id stored before the group is forgotten once the group removed its event.
        return stored.Position < Writes.FirstPosition && Writes.CutoffMap.TryGetValue(stored.Stream, out var cutoff) && stored.Revision < cutoff
            ? null
            : stored;
    }

    private void SetStream(StreamName stream, StreamHead head, bool appendedOnly)
    {
        var map = Writes.StreamMap;
        var onlyAppends = appendedOnly && (!map.TryGetValue(stream, out var earlier) || earlier.AppendedOnly);
        Remember(_state.Streams, stream, head);
        Remember(map, stream, new StreamWrite(head, onlyAppends));
    }
}
