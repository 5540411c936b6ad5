namespace Annals.Storage;

/// <summary>A durable-state behaviour returned a version that is not the current one plus 1; nothing was stored.</summary>
public sealed class InvalidStateVersionException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="current">The current version.</param>
    /// <param name="returned">The version the behaviour returned.</param>
    public InvalidStateVersionException(StreamName entity, long current, long returned)
        : base($"Entity '{entity}' is at version {current}; its new state must have version {current + 1}, not {returned}. Nothing was stored.")
    {
        Entity = entity;
        Current = current;
        Returned = returned;
    }

    /// <summary>The entity.</summary>
    public StreamName Entity { get; }

    /// <summary>The current version.</summary>
    public long Current { get; }

    /// <summary>The version the behaviour returned.</summary>
    public long Returned { get; }
}
