using System.Data.Common;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// What the store makes of the connection settings it is given: the settings its writer's connections add to a
/// connection string, unless that string sets them, and the settings it cannot work without.
/// </summary>
internal static class PostgresConnectionString
{
    /// <summary>The writer's, the listener's and the lock's connections, held for as long as the store is open, plus one to read with.</summary>
    public const int MinPoolSize = 4;

    /// <summary>
    /// The writer sends the same few statements in every group: prepared, they skip parsing, and
    /// the fast path's statements (which have one good plan whatever the data) skip planning too.
    /// </summary>
    public static string ForWriter(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Sets(given, "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// The lock's connection is one of its own, outside any pool: closing it ends its session, so the server releases
    /// the lock even when the store could not say so (the connection broke under it). Unless the string sets a
    /// keepalive, one is sent every 30 seconds, so that a connection silently cut is found out (the lock is then lost).
    /// </summary>
    public static string ForLock(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        if (!Sets(new DbConnectionStringBuilder { ConnectionString = connectionString }, "KeepAlive"))
        {
            builder.KeepAlive = 30;
        }

        return builder.ConnectionString;
    }

    /// <summary>Why connections of these settings cannot serve a store, or <see langword="null"/> when they can.</summary>
    /// <remarks>The listener waits on a session of its own, with <c>LISTEN</c> and a session advisory lock, which multiplexing does not give.</remarks>
    public static string? CheckSessions(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Multiplexing
            ? "it multiplexes (Multiplexing=true), and the store needs sessions of its own to listen for commits; turn multiplexing off"
            : null;

    /// <summary>
    /// Why a data source of the caller's cannot serve a store, or <see langword="null"/> when it can. Its connection
    /// string is read only for its settings: it leaves the password out, and the store builds no connection from it.
    /// </summary>
    /// <remarks>
    /// Beside <see cref="CheckSessions"/>: the writer, the listener and the lock each hold a connection while the store is open,
    /// so a smaller pool would leave reads waiting for one until they time out.
    /// </remarks>
    public static string? CheckShared(NpgsqlDataSource dataSource)
    {
        var connectionString = dataSource.ConnectionString;
        if (CheckSessions(connectionString) is { } problem)
        {
            return problem;
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        return settings.Pooling && settings.MaxPoolSize < MinPoolSize
            ? $"its pool holds at most {settings.MaxPoolSize} connection{(settings.MaxPoolSize == 1 ? string.Empty : "s")} (Max Pool Size), and the store holds three while open (its writer's, its listener's and its lock's) and reads on others; allow at least {MinPoolSize}"
            : null;
    }

    /// <summary>Whether the string names a setting, in any of the spellings Npgsql accepts ("Max Auto Prepare", "maxautoprepare").</summary>
    private static bool Sets(DbConnectionStringBuilder given, string compactName) =>
        given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals(compactName, StringComparison.OrdinalIgnoreCase));
}
