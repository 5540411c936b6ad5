using Annals.Storage;

namespace Annals.Entities;

/// <summary>No reply came in time. A command still queued is dropped; one already being handled may still be stored.</summary>
public sealed class CommandTimeoutException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="entity">The entity.</param>
    /// <param name="timeout">How long the sender waited.</param>
    public CommandTimeoutException(StreamName entity, TimeSpan timeout)
        : base($"Entity '{entity}' did not reply within {timeout.TotalMilliseconds:0} ms.")
    {
        Entity = entity;
        Timeout = timeout;
    }

    /// <summary>The entity.</summary>
    public StreamName Entity { get; }

    /// <summary>How long the sender waited.</summary>
    public TimeSpan Timeout { get; }
}
