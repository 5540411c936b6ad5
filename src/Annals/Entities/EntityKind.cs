using Annals.Storage;

namespace Annals.Entities;

/// <summary>A registered category of entities: its behaviour, its options, and how to make a live entity of it.</summary>
internal abstract class EntityKind(string category, Type commandType, Type stateType, TimeSpan idleTimeout, int mailboxCapacity)
{
    public string Category { get; } = category;

    public Type CommandType { get; } = commandType;

    public Type StateType { get; } = stateType;

    public TimeSpan IdleTimeout { get; } = idleTimeout;

    public int MailboxCapacity { get; } = mailboxCapacity;

    public abstract EntityHost CreateHost(EntityEngine engine, StreamName id);
}

/// <summary>An event-sourced category.</summary>
internal sealed class EventSourcedKind<TCommand, TState, TEvent>(
    string category, Deciders.IAsyncDecider<TCommand, TState, TEvent> behavior, SnapshotStrategy snapshots, TimeSpan idleTimeout, int mailboxCapacity)
    : EntityKind(category, typeof(TCommand), typeof(TState), idleTimeout, mailboxCapacity)
{
    public Deciders.IAsyncDecider<TCommand, TState, TEvent> Behavior { get; } = behavior;

    public SnapshotStrategy Snapshots { get; } = snapshots;

    public override EntityHost CreateHost(EntityEngine engine, StreamName id) => new EventSourcedHost<TCommand, TState, TEvent>(engine, this, id);
}

/// <summary>A durable-state category.</summary>
internal sealed class DurableStateKind<TCommand, TState>(
    string category, IAsyncDurableStateBehavior<TCommand, TState> behavior, TimeSpan idleTimeout, int mailboxCapacity)
    : EntityKind(category, typeof(TCommand), typeof(TState), idleTimeout, mailboxCapacity)
{
    public IAsyncDurableStateBehavior<TCommand, TState> Behavior { get; } = behavior;

    public override EntityHost CreateHost(EntityEngine engine, StreamName id) => new DurableStateHost<TCommand, TState>(engine, this, id);
}
