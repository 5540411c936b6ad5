using System.Data.Common;
using Npgsql;

namespace Annals.Postgres;

/// <summary>The settings the writer's connections add to the connection string the store is given, unless that string sets them.</summary>
internal static class PostgresConnectionString
{
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

    /// <summary>Whether the string names a setting, in any of the spellings Npgsql accepts ("Max Auto Prepare", "maxautoprepare").</summary>
    private static bool Sets(DbConnectionStringBuilder given, string compactName) =>
        given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals(compactName, StringComparison.OrdinalIgnoreCase));
}
