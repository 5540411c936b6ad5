namespace Annals.Entities;

/// <summary>A command was sent to an entity engine that is stopping or stopped, or was still queued when stopping ran out of time; it was not handled.</summary>
public sealed class EngineStoppedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="message">What happened to the command.</param>
    public EngineStoppedException(string message = "The entity engine is stopping or stopped; the command was not handled.")
        : base(message)
    {
    }
}
