using Annals.Storage;
using Microsoft.Extensions.Logging;

namespace Annals.Entities;

/// <summary>The engine's log lines.</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1, LogLevel.Warning, "Snapshot of {Entity} at revision {Revision} skipped, recovering from events instead: {Reason}")]
    public static partial void SnapshotSkipped(ILogger logger, StreamName entity, long revision, string reason);

    [LoggerMessage(2, LogLevel.Error, "Recovery of {Entity} failed; its queued commands fail and the next command tries again")]
    public static partial void RecoveryFailed(ILogger logger, StreamName entity, Exception error);

    [LoggerMessage(3, LogLevel.Debug, "Recovered {Entity} at revision {Revision} in {Milliseconds} ms")]
    public static partial void Recovered(ILogger logger, StreamName entity, long? revision, double milliseconds);

    [LoggerMessage(4, LogLevel.Debug, "Passivated {Entity} after {IdleMilliseconds} ms without a command")]
    public static partial void Passivated(ILogger logger, StreamName entity, double idleMilliseconds);

    [LoggerMessage(5, LogLevel.Information, "Entity engine stopping: {Live} live entities finish their queued commands")]
    public static partial void Stopping(ILogger logger, int live);

    [LoggerMessage(6, LogLevel.Warning, "Entity engine stop timed out; {Dropped} queued commands failed with EngineStoppedException")]
    public static partial void StopTimedOut(ILogger logger, int dropped);

    [LoggerMessage(7, LogLevel.Debug, "{Entity} answered command {MessageId} again with its earlier reply: it was sent again")]
    public static partial void ResendAnswered(ILogger logger, StreamName entity, string messageId);
}
