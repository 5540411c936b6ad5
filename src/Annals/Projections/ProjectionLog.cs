using Microsoft.Extensions.Logging;

namespace Annals.Projections;

/// <summary>The projection host's log lines.</summary>
internal static partial class ProjectionLog
{
    [LoggerMessage(101, LogLevel.Information, "Projection {Projection} runs from position {Position}")]
    public static partial void Running(ILogger logger, string projection, long position);

    [LoggerMessage(102, LogLevel.Warning, "Projection {Projection}: attempt {Attempt} at the batch after position {Position} failed")]
    public static partial void AttemptFailed(ILogger logger, string projection, int attempt, long position, Exception error);

    [LoggerMessage(103, LogLevel.Error, "Projection {Projection} faulted at the batch after position {Position}; it waits to be resumed or rebuilt")]
    public static partial void Faulted(ILogger logger, string projection, long position, Exception error);

    [LoggerMessage(104, LogLevel.Warning, "Projection {Projection} parked event {EventId} at position {Position}")]
    public static partial void Parked(ILogger logger, string projection, Guid eventId, long position, Exception error);

    [LoggerMessage(105, LogLevel.Warning, "Projection {Projection} stopped its run and starts again from its checkpoint")]
    public static partial void Restarting(ILogger logger, string projection, Exception error);

    [LoggerMessage(106, LogLevel.Information, "Projection {Projection} waits for its lease, held by another owner")]
    public static partial void WaitingForLease(ILogger logger, string projection);

    [LoggerMessage(107, LogLevel.Information, "Projection {Projection} was reset for a rebuild")]
    public static partial void Reset(ILogger logger, string projection);

    [LoggerMessage(109, LogLevel.Information, "Projection partition {Projection} is given back to the group: members joined")]
    public static partial void GivingBack(ILogger logger, string projection);

    [LoggerMessage(108, LogLevel.Information, "Projection {Projection} replayed parked event {EventId}")]
    public static partial void Replayed(ILogger logger, string projection, Guid eventId);

    [LoggerMessage(110, LogLevel.Information, "Projection {Projection} took its lease as {Owner}")]
    public static partial void LeaseTaken(ILogger logger, string projection, string owner);

    [LoggerMessage(111, LogLevel.Warning, "Projection {Projection} lost its lease as {Owner}; its run stops before the lease can lapse and waits to take it again")]
    public static partial void LeaseLost(ILogger logger, string projection, string owner, Exception error);
}
