using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Creates and migrates the schema under an advisory lock, so processes starting together do it once.</summary>
internal static class PostgresSchema
{
    private static readonly IReadOnlyList<(int Version, string Script)> Scripts = SchemaScripts.Load(typeof(PostgresSchema).Assembly);

    public static int CurrentVersion => Scripts[^1].Version;

    /// <summary>Brings the schema to the current version, making it when missing.</summary>
    /// <returns>The version the schema held before; 0 when the store was made here, which one migration alone sees, under the lock.</returns>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        var before = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(hashtext($1));", cancellationToken, "annals.migrate." + schema).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.schema_version (version integer NOT NULL);", cancellationToken).ConfigureAwait(false);
            await using (var read = new NpgsqlCommand($"SELECT max(version) FROM {schema}.schema_version;", connection))
            {
                var found = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                var version = found is int v ? v : 0;
                before = version;
                if (version > CurrentVersion)
                {
                    throw new AnnalsException($"The schema '{schema}' has version {version}, newer than this release of Annals understands ({CurrentVersion}); upgrade Annals to use it.");
                }

                foreach (var (target, script) in Scripts.Where(s => s.Version > version))
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await using var migrate = new NpgsqlCommand(script.Replace("{schema}", schema, StringComparison.Ordinal) + $"\nINSERT INTO {schema}.schema_version (version) VALUES ({target});", connection, transaction);
                    await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(hashtext($1));", CancellationToken.None, "annals.migrate." + schema).ConfigureAwait(false);
        }

        return before;
    }

    /// <summary>Tells what a schema holds.</summary>
    public static async Task<PostgresSchemaKind> InspectAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InspectAsync(connection, schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells what a schema holds, asked on a connection of the caller's.</summary>
    public static async Task<PostgresSchemaKind> InspectAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1),
                   to_regclass(quote_ident($1) || '.schema_version') IS NOT NULL,
                   EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1)
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetBoolean(2)) switch
        {
            (false, _, _) => PostgresSchemaKind.Missing,
            (true, true, _) => PostgresSchemaKind.Store,
            (true, false, false) => PostgresSchemaKind.Empty,
            _ => PostgresSchemaKind.Foreign,
        };
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
