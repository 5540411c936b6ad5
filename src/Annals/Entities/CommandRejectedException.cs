using Annals.Storage;

namespace Annals.Entities;

/// <summary>An entity's behaviour rejected a command (threw); nothing was stored and the entity is unchanged. The behaviour's exception is the inner exception.</summary>
public sealed class CommandRejectedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="reason">The behaviour's exception.</param>
    public CommandRejectedException(StreamName entity, Exception reason)
        : base($"Entity '{entity}' rejected the command: {reason.Message}", reason)
    {
        Entity = entity;
    }

    /// <summary>The entity.</summary>
    public StreamName Entity { get; }
}
