using Npgsql;

namespace Annals.Bench.Data;

/// <summary>Work on a prepared PostgreSQL schema that must not be paid for by the measured part.</summary>
internal static class PostgresMaintenance
{
    /// <summary>
    /// VACUUM ANALYZE the freshly filled tables: otherwise the first reader of each page sets its
    /// hint bits and writes it back, and that cost would fall on whichever reader came first.
    /// </summary>
    public static void Vacuum(BenchDatabase database, params string[] tables)
    {
        using var connection = new NpgsqlConnection(database.ConnectionString);
        connection.Open();
        foreach (var table in tables)
        {
            using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {database.Schema}.{table}", connection);
            vacuum.ExecuteNonQuery();
        }
    }
}
