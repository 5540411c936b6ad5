using Annals.Storage;
using Microsoft.Extensions.Logging;

namespace Annals.Deciders;

/// <summary>The typed layer's log lines.</summary>
internal static partial class DecideLog
{
    [LoggerMessage(401, LogLevel.Debug, "A decision on {Stream} lost a race ({Conflict}) at attempt {Attempt}; it catches up and decides again")]
    public static partial void Retrying(ILogger logger, StreamName stream, int attempt, string conflict);

    [LoggerMessage(402, LogLevel.Warning, "A decision on {Stream} lost {Attempts} races in a row ({Conflict}) and gave up; nothing of it is stored")]
    public static partial void GaveUp(ILogger logger, StreamName stream, int attempts, string conflict);
}
