using Microsoft.Extensions.Logging;

namespace Annals.Postgres;

/// <summary>The PostgreSQL store's log lines.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(301, LogLevel.Information, "Opened the store in schema {Schema} (schema version {Version}, {Access})")]
    public static partial void Opened(ILogger logger, string schema, int version, string access);

    [LoggerMessage(302, LogLevel.Information, "Migrated the store in schema {Schema} from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string schema, int from, int to);

    [LoggerMessage(303, LogLevel.Warning, "Slow commit in schema {Schema}: a group of {Batches} batches took {Milliseconds} ms")]
    public static partial void SlowCommit(ILogger logger, string schema, int batches, double milliseconds);

    [LoggerMessage(304, LogLevel.Warning, "Lost the notification connection of schema {Schema} (failure {Failures}); subscriptions poll every {PollMilliseconds} ms until it is back")]
    public static partial void ListenerLost(ILogger logger, string schema, int failures, double pollMilliseconds, Exception error);

    [LoggerMessage(305, LogLevel.Information, "Notification connection of schema {Schema} is back; subscriptions follow commits again as they happen")]
    public static partial void ListenerBack(ILogger logger, string schema);

    [LoggerMessage(306, LogLevel.Warning, "The writer of schema {Schema} lost its connection; the group's callers got StoreUnavailableException and the next commit reconnects")]
    public static partial void WriterConnectionLost(ILogger logger, string schema, Exception error);
}
