namespace Annals.Orleans.Entities;

/// <summary>A failure of the engine, in parts that make the same typed exception again at the sender.</summary>
[GenerateSerializer, Immutable]
internal sealed record EntityFailure(
    [property: Id(0)] EntityFailureKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] string? ReasonType,
    [property: Id(3)] string? ReasonMessage,
    [property: Id(4)] TimeSpan? Timeout,
    [property: Id(5)] Guid? EventId,
    [property: Id(6)] string? ExistingStream,
    [property: Id(7)] long? ExistingRevision);

/// <summary>Which exception an <see cref="EntityFailure"/> stands for.</summary>
internal enum EntityFailureKind
{
    Other,
    Rejected,
    TimedOut,
    Conflict,
    DuplicateEventId,
    EngineStopped,
    EngineNotStarted,
    InvalidArgument,
}
