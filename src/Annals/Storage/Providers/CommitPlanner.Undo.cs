namespace Annals.Storage.Providers;

public sealed partial class CommitPlanner
{
    // How to take back the changes of the batch being decided, newest last.
    private readonly List<UndoStep> _undo = [];

    /// <summary>Sets a value and records how to undo that if the batch fails.</summary>
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
    /// How to take back one change of the batch being decided. Each kind of step is a class of its own rather than a
    /// lambda, so that it costs one small object instead of a closure and a delegate.
    /// </summary>
    private abstract class UndoStep
    {
        public abstract void Undo();
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

    /// <summary>Takes back an append: its events, their ids and the head.</summary>
    private sealed class AppendUndo(CommitPlanner planner, int count, long head) : UndoStep
    {
        public override void Undo()
        {
            var list = planner.Writes.EventList;
            for (var i = count; i < list.Count; i++)
            {
                planner._state.EventIds.Remove(list[i].Event.EventId);
            }

            list.RemoveRange(count, list.Count - count);
            planner._state.Head = head;
        }
    }

    /// <summary>Puts back the group's events a truncate or delete removed, in position order.</summary>
    private sealed class Reinsertion(List<NewEvent> list, List<NewEvent> removed) : UndoStep
    {
        public override void Undo()
        {
            list.AddRange(removed);
            list.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        }
    }

    private sealed class RemovedStoredEventsReset(CommitPlanner planner) : UndoStep
    {
        public override void Undo() => planner._removedStoredEvents = false;
    }

    private sealed class QueueSequenceRestore(StoredState state, long sequence) : UndoStep
    {
        public override void Undo() => state.QueueSequence = sequence;
    }
}
