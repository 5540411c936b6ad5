using Annals.Storage;
using Microsoft.Extensions.Logging;

namespace Annals.Orleans.LogConsistency;

/// <summary>The log lines of the Annals log-consistency provider.</summary>
internal static partial class LogConsistencyLog
{
    [LoggerMessage(1, LogLevel.Warning, "Snapshot of {Stream} at revision {Revision} skipped, recovering from events instead: {Reason}")]
    public static partial void SnapshotSkipped(ILogger logger, StreamName stream, long revision, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Snapshot of {Stream} at revision {Revision} not saved; the next one is due after more events")]
    public static partial void SnapshotNotSaved(ILogger logger, StreamName stream, long revision, Exception error);

    [LoggerMessage(3, LogLevel.Debug, "{Stream} moved on past revision {Expected}: another activation wrote to it; reading it and appending after")]
    public static partial void WriteConflict(ILogger logger, StreamName stream, string expected);

    [LoggerMessage(4, LogLevel.Warning, "Appending {Count} events to {Stream} failed or its outcome was lost; reading the stream to learn whether they were stored")]
    public static partial void WriteFailed(ILogger logger, StreamName stream, int count, Exception error);

    [LoggerMessage(5, LogLevel.Warning, "Reading {Stream} failed; reading again after {Delay}")]
    public static partial void ReadFailed(ILogger logger, StreamName stream, TimeSpan delay, Exception error);

    [LoggerMessage(6, LogLevel.Information, "{Count} events of {Stream} whose append had failed were found stored: they are confirmed, not appended again")]
    public static partial void FoundStored(ILogger logger, StreamName stream, int count);
}
