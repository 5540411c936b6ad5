namespace Annals.Projections;

/// <summary>Where a projection is.</summary>
public enum ProjectionState
{
    /// <summary>Added but not running: the host has not started.</summary>
    Stopped,

    /// <summary>Waiting for its lease, which another process holds.</summary>
    WaitingForLease,

    /// <summary>Handling events that were already in the log: its last batch was full.</summary>
    CatchingUp,

    /// <summary>Caught up with the log: handling events as they are committed.</summary>
    Live,

    /// <summary>Paused on request; resumes from its checkpoint.</summary>
    Paused,

    /// <summary>Stopped by a batch that failed all its retries under <see cref="FailurePolicy.Stop"/>; see the last error.</summary>
    Faulted,

    /// <summary>Clearing its read model and checkpoint before replaying from the start.</summary>
    Rebuilding,
}
