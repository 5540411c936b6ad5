using Microsoft.Extensions.Logging;

namespace Annals.Processes;

/// <summary>The process host's log lines.</summary>
internal static partial class ProcessLog
{
    [LoggerMessage(501, LogLevel.Warning, "Process {Process}: message {MessageId} of {Queue} failed (attempt {Attempt}); it is tried again after a back-off")]
    public static partial void AttemptFailed(ILogger logger, string process, string queue, Guid messageId, int attempt, Exception error);

    [LoggerMessage(502, LogLevel.Error, "Process {Process}: message {MessageId} of {Queue} is parked after {Attempts} attempts; list it with `annals parked` and replay it once fixed")]
    public static partial void Parked(ILogger logger, string process, string queue, Guid messageId, int attempts, Exception error);

    [LoggerMessage(503, LogLevel.Debug, "Process {Process}: timeout {Timeout} of instance {Instance} came after the instance ended or stopped waiting for it; it is dropped")]
    public static partial void TimeoutIgnored(ILogger logger, string process, string instance, string timeout);

    [LoggerMessage(504, LogLevel.Warning, "Process {Process}: its deliveries stopped on an error and start again after a pause")]
    public static partial void DeliveriesRestarting(ILogger logger, string process, Exception error);

    [LoggerMessage(505, LogLevel.Information, "Process {Process} waits for its delivery lease, held by another owner")]
    public static partial void WaitingForLease(ILogger logger, string process);

    [LoggerMessage(506, LogLevel.Information, "Process {Process} took its delivery lease as {Owner}")]
    public static partial void LeaseTaken(ILogger logger, string process, string owner);

    [LoggerMessage(507, LogLevel.Warning, "Process {Process} lost its delivery lease as {Owner}; its deliveries stop and wait to take it again")]
    public static partial void LeaseLost(ILogger logger, string process, string owner, Exception error);

    [LoggerMessage(508, LogLevel.Debug, "Process {Process}: due timeouts wait until the events after position {Checkpoint} are handled")]
    public static partial void TimeoutsHeld(ILogger logger, string process, long checkpoint);

    /// <summary>What is kept of an error on its message: its type and message, bounded.</summary>
    public static string Describe(Exception error)
    {
        var text = $"{error.GetType().Name}: {error.Message}";
        return text.Length <= 2000 ? text : text[..2000];
    }
}
