using Annals;
using Annals.Storage;

namespace Annals.Orleans;

/// <summary>
/// The silo that held an entity went away (or could not be reached) before it replied, so the command may or may not be
/// stored. Send it again with the same <see cref="Annals.Serialization.MessageContext"/>: an event-sourced entity
/// recognises it by its message id and stores nothing twice; the entity comes back on another silo.
/// </summary>
public sealed class EntityUnavailableException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="innerException">What Orleans reported.</param>
    public EntityUnavailableException(StreamName entity, Exception innerException)
        : base($"The silo holding entity '{entity}' could not be reached or went away before replying ({innerException.Message}); the command may or may not be stored: send it again with the same message context.", innerException)
    {
        Entity = entity;
    }

    /// <summary>The entity.</summary>
    public StreamName Entity { get; }
}
