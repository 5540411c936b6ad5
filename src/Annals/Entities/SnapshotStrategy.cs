namespace Annals.Entities;

/// <summary>When an event-sourced entity saves a snapshot of its state, in the same commit as the events that led to it.</summary>
/// <remarks>The state type must be registered in the type registry; its schema version is part of the snapshot, so a changed state type ignores older snapshots.</remarks>
public abstract class SnapshotStrategy
{
    private protected SnapshotStrategy()
    {
    }

    /// <summary>Never.</summary>
    public static SnapshotStrategy None { get; } = new Custom<object?>((_, _) => false);

    /// <summary>Whenever the stream's event count passes a multiple of <paramref name="events"/>.</summary>
    /// <param name="events">How many events between snapshots (1 or more).</param>
    /// <returns>The strategy.</returns>
    public static SnapshotStrategy EveryEvents(int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        return new Counted(events);
    }

    /// <summary>With the first events committed once <paramref name="interval"/> has passed since the entity's last snapshot (or its recovery).</summary>
    /// <param name="interval">The time between snapshots.</param>
    /// <returns>The strategy.</returns>
    public static SnapshotStrategy Every(TimeSpan interval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return new Timed(interval);
    }

    /// <summary>Whenever a function of the new state and revision says so.</summary>
    /// <typeparam name="TState">The entity's state.</typeparam>
    /// <param name="due">Given the state after a command's events and the stream's revision after them: whether to save a snapshot.</param>
    /// <returns>The strategy.</returns>
    public static SnapshotStrategy When<TState>(Func<TState, long, bool> due)
    {
        ArgumentNullException.ThrowIfNull(due);
        return new Custom<TState>(due);
    }

    /// <summary>Whether a snapshot is due after a command's events.</summary>
    internal abstract bool IsDue(object? state, long? revisionBefore, long revisionAfter, TimeSpan sinceLastSnapshot);

    private sealed class Counted(int events) : SnapshotStrategy
    {
        internal override bool IsDue(object? state, long? revisionBefore, long revisionAfter, TimeSpan sinceLastSnapshot) =>
            Deciders.SnapshotSchedule.PassesMultiple(events, revisionBefore, revisionAfter);
    }

    private sealed class Timed(TimeSpan interval) : SnapshotStrategy
    {
        internal override bool IsDue(object? state, long? revisionBefore, long revisionAfter, TimeSpan sinceLastSnapshot) => sinceLastSnapshot >= interval;
    }

    private sealed class Custom<TState>(Func<TState, long, bool> due) : SnapshotStrategy
    {
        internal override bool IsDue(object? state, long? revisionBefore, long revisionAfter, TimeSpan sinceLastSnapshot) => due((TState)state!, revisionAfter);
    }
}
