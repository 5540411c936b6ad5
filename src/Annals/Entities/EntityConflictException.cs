using Annals.Storage;

namespace Annals.Entities;

/// <summary>Another writer (another engine, in this or another process) changed the entity while it handled a command, again after it reloaded; nothing of the command was stored.</summary>
public sealed class EntityConflictException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="conflict">The last conflict.</param>
    public EntityConflictException(StreamName entity, Exception conflict)
        : base($"Entity '{entity}' was changed by another writer while handling the command, also after reloading: {conflict.Message}", conflict)
    {
        Entity = entity;
    }

    /// <summary>The entity.</summary>
    public StreamName Entity { get; }
}
