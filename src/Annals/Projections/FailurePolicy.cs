namespace Annals.Projections;

/// <summary>What a projection does with a batch that still fails after its retries.</summary>
public enum FailurePolicy
{
    /// <summary>Stop: the projection is faulted, keeps the error and waits to be resumed or rebuilt.</summary>
    Stop,

    /// <summary>Find the failing event, park it (listed and replayable later) and go on with the next.</summary>
    Park,
}
