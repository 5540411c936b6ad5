using System.Data.Common;
using Npgsql;

namespace Annals.Postgres;

/// <summary>The connection settings the store adds to the connection string it is given, unless that string sets them.</summary>
internal static class PostgresConnectionString
{
    // Generic plans are chosen after a few runs, while a table may still be small: the generic plan
    // of "event_id = ANY($1)" then stays a sequential scan as the table grows. Custom plans keep the
    // saving of preparing (no parsing, no analysis) and are planned for the values at hand.
    private const string CustomPlans = "-c plan_cache_mode=force_custom_plan";

    public static string Tune(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };

        // The writer and the readers send the same few statements over and over.
        if (!Sets(given, "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!Sets(given, "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        // First, so that a plan_cache_mode of the caller's own, later in the options, wins.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? CustomPlans : CustomPlans + " " + builder.Options;
        return builder.ConnectionString;
    }

    /// <summary>Whether the string names a setting, in any of the spellings Npgsql accepts ("Max Auto Prepare", "maxautoprepare").</summary>
    private static bool Sets(DbConnectionStringBuilder given, string compactName) =>
        given.Keys.Cast<string>().Any(k => k.Replace(" ", string.Empty, StringComparison.Ordinal).Equals(compactName, StringComparison.OrdinalIgnoreCase));
}
