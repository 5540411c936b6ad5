using Annals.Entities;
using Annals.Storage;

namespace Annals.Orleans.Entities;

/// <summary>Turns the engine's exceptions into <see cref="EntityFailure"/>s in the silo, and back into the same typed exceptions at the sender.</summary>
internal static class EntityFailures
{
    public static EntityFailure From(Exception e) => e switch
    {
        CommandRejectedException rejected => new(EntityFailureKind.Rejected, e.Message, Name(rejected.InnerException), rejected.InnerException?.Message, null, null, null, null),
        CommandTimeoutException timedOut => new(EntityFailureKind.TimedOut, e.Message, null, null, timedOut.Timeout, null, null, null),
        EntityConflictException conflict => new(EntityFailureKind.Conflict, e.Message, Name(conflict.InnerException), conflict.InnerException?.Message, null, null, null, null),
        DuplicateEventIdException duplicate => new(EntityFailureKind.DuplicateEventId, e.Message, null, null, null, duplicate.EventId, duplicate.ExistingStream.Value, duplicate.ExistingRevision),
        EngineStoppedException => new(EntityFailureKind.EngineStopped, e.Message, null, null, null, null, null, null),
        EngineNotStartedException => new(EntityFailureKind.EngineNotStarted, e.Message, null, null, null, null, null, null),
        ArgumentException => new(EntityFailureKind.InvalidArgument, e.Message, null, null, null, null, null, null),
        _ => new(EntityFailureKind.Other, e.Message, Name(e), e.Message, null, null, null, null),
    };

    public static Exception ToException(StreamName entity, EntityFailure failure) => failure.Kind switch
    {
        EntityFailureKind.Rejected => new CommandRejectedException(entity, Reason(failure)),
        EntityFailureKind.TimedOut => new CommandTimeoutException(entity, failure.Timeout ?? TimeSpan.Zero),
        EntityFailureKind.Conflict => new EntityConflictException(entity, Reason(failure)),
        EntityFailureKind.DuplicateEventId => new DuplicateEventIdException(failure.EventId ?? Guid.Empty, entity, StreamName.Parse(failure.ExistingStream!), failure.ExistingRevision ?? -1),
        EntityFailureKind.EngineStopped => new EngineStoppedException(failure.Message),
        EntityFailureKind.EngineNotStarted => new EngineNotStartedException(),
        EntityFailureKind.InvalidArgument => new ArgumentException(failure.Message),
        _ => new AnnalsException($"Entity '{entity}' failed in its silo: {failure.Message}", Reason(failure)),
    };

    private static string? Name(Exception? e) => e?.GetType().FullName;

    private static RemoteReasonException Reason(EntityFailure failure) => new(failure.ReasonType ?? typeof(Exception).FullName!, failure.ReasonMessage ?? failure.Message);
}
