using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>
/// The raw baselines' table: the columns, types, collations and constraints of the store's events
/// table (src/Annals.Postgres/Sql/001_initial.sql), so raw rows cost what the store's rows cost.
/// </summary>
internal static class PostgresRawSchema
{
    public const string Columns = "position, event_id, stream, revision, type, data, metadata, timestamp";

    public static void EnsureCreated(NpgsqlConnection connection, string schema)
    {
        using var create = new NpgsqlCommand(
            $"""
            CREATE SCHEMA IF NOT EXISTS {schema};
            CREATE TABLE IF NOT EXISTS {schema}.events (
                position   bigint      PRIMARY KEY,
                event_id   uuid        NOT NULL UNIQUE,
                stream     text        COLLATE "C" NOT NULL,
                revision   bigint      NOT NULL,
                type       text        COLLATE "C" NOT NULL,
                data       bytea       NOT NULL,
                metadata   text        NULL,
                timestamp  bigint      NOT NULL,
                UNIQUE (stream, revision)
            );
            """,
            connection);
        create.ExecuteNonQuery();
    }

    public static long Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
