using Annals.Postgres;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>
/// The raw baselines' tables, made by the store's own migration scripts, so raw rows have the columns,
/// types, collations and constraints of the store's and cost what they cost.
/// </summary>
internal static class PostgresRawSchema
{
    public const string Columns = "position, event_id, stream, revision, type, data, metadata, timestamp";

    public static void EnsureCreated(NpgsqlConnection connection, string schema)
    {
        using (var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {schema}", connection))
        {
            create.ExecuteNonQuery();
        }

        if (Scalar(connection, $"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename = 'events'") > 0)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        foreach (var (_, script) in SchemaScripts.Load(typeof(PostgresEventStore).Assembly))
        {
            using var command = new NpgsqlCommand(script.Replace("{schema}", schema, StringComparison.Ordinal), connection, transaction);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
