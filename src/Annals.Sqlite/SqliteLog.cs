using Microsoft.Extensions.Logging;

namespace Annals.Sqlite;

/// <summary>The SQLite store's log lines.</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(201, LogLevel.Information, "Opened the store {Path} for {Access} (schema version {Version}, durability {Durability})")]
    public static partial void Opened(ILogger logger, string path, string access, int version, SqliteDurability durability);

    [LoggerMessage(202, LogLevel.Information, "Migrated the store {Path} from schema version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(203, LogLevel.Warning, "Slow commit on {Path}: a group of {Batches} batches took {Milliseconds} ms to write and flush")]
    public static partial void SlowCommit(ILogger logger, string path, int batches, double milliseconds);

    [LoggerMessage(204, LogLevel.Error, "A group of {Batches} commits on {Path} failed as a whole; each caller got the error")]
    public static partial void GroupFailed(ILogger logger, string path, int batches, Exception error);
}
