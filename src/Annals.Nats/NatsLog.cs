using Microsoft.Extensions.Logging;

namespace Annals.Nats;

/// <summary>The NATS store's log lines, with fixed event ids (5xx).</summary>
internal static partial class NatsLog
{
    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "Opened NATS store '{Store}' on server {Version}")]
    public static partial void Opened(ILogger logger, string store, string version);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Lost the subscription that wakes readers of the NATS store; readers poll until it is back")]
    public static partial void PulseLost(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Could not finish removing truncated events of '{Stream}' from NATS; reads leave them out all the same")]
    public static partial void PurgeFailed(ILogger logger, string stream, Exception exception);
}
