using Annals.Serialization;
using Annals.Storage;

namespace Annals.Entities;

/// <summary>
/// Sends commands to entities and waits for their replies, wherever the entities live: the local
/// <see cref="EntityEngine"/> in this process, or one activation per entity across a cluster. Application code written
/// against it does not change when it moves from one process to a cluster.
/// </summary>
public interface ICommandSender
{
    /// <summary>Sends a command to an entity and waits for its reply. Commands to one entity are handled in the order they reach it, one at a time.</summary>
    /// <typeparam name="TState">The state of the entity's category.</typeparam>
    /// <param name="entity">The entity, <c>category.id</c>; its category must be registered.</param>
    /// <param name="command">The command, of the category's command type.</param>
    /// <param name="timeout">How long to wait for the reply; the engine's <see cref="EngineOptions.CommandTimeout"/> when <see langword="null"/>.</param>
    /// <param name="context">The command's id and correlation; a command sent again with the same message id is recognised (see <see cref="EntityEngine.SendCommandAsync{TState}"/>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The entity's state and revision after the command, and the events it stored.</returns>
    /// <exception cref="CommandRejectedException">The behaviour rejected the command; nothing was stored.</exception>
    /// <exception cref="CommandTimeoutException">No reply in time; the command may still be stored.</exception>
    /// <exception cref="DuplicateEventIdException">A command sent again decided more events than the first send stored.</exception>
    /// <exception cref="EntityConflictException">Another writer changed the entity, twice; nothing was stored.</exception>
    /// <exception cref="EngineStoppedException">The engine that hosts the entity is stopping or stopped.</exception>
    /// <exception cref="ArgumentException">The category is not registered, or the command or state type does not match it.</exception>
    Task<EntityReply<TState>> SendCommandAsync<TState>(StreamName entity, object command, TimeSpan? timeout = null, MessageContext? context = null, CancellationToken cancellationToken = default);
}
