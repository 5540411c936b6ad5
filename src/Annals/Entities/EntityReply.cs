using Annals.Storage;

namespace Annals.Entities;

/// <summary>What a command did to an entity.</summary>
/// <typeparam name="TState">The entity's state.</typeparam>
/// <param name="Entity">The entity.</param>
/// <param name="State">Its state after the command; for a command sent again that another engine, or the entity before it was passivated, had stored, its state now.</param>
/// <param name="Revision">Event-sourced: its stream's revision after the command (<see langword="null"/> while it has no events). Durable state: its version.</param>
/// <param name="Events">The events the command stored (event-sourced entities), as stored the first time for a command sent again; empty for no change and for durable state.</param>
public sealed record EntityReply<TState>(StreamName Entity, TState State, long? Revision, IReadOnlyList<object> Events) : IEntityReply
{
    object? IEntityReply.State => State;
}
