using System.Net.Sockets;
using Annals.Storage;
using Npgsql;

namespace Annals.Orleans.Postgres;

/// <summary>
/// Orleans' tables for clustering on PostgreSQL (<c>OrleansQuery</c>, <c>OrleansMembershipVersionTable</c>,
/// <c>OrleansMembershipTable</c>, their functions and stored queries), from Orleans' own scripts, which this assembly
/// carries because Orleans' packages do not. Orleans' ADO.NET provider reads and writes them but creates none.
/// </summary>
public static class OrleansPostgresSchema
{
    // Transaction-scoped, so the commit, the rollback or the death of the process releases it; one key for every
    // schema of the database, since the set-up is rare and short.
    private const string LockSql = "SELECT pg_advisory_xact_lock(hashtext('annals.orleans.clustering'))";

    // The first schema of the search path that holds a table, as Orleans' unqualified queries will find it. Read from
    // pg_class under the statement's snapshot: to_regclass would answer from the session's catalog cache, which after
    // the wait for the lock may still say "missing" of a table another process has just committed.
    private const string SchemaOfSql = """
        SELECT s.name FROM unnest(current_schemas(false)) WITH ORDINALITY AS s(name, position)
        JOIN pg_namespace n ON n.nspname = s.name
        JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = $1
        ORDER BY s.position LIMIT 1
        """;

    /// <summary>
    /// Creates Orleans' clustering tables where the connection's search path puts new tables (<c>public</c> unless the
    /// connection string says <c>Search Path=…</c>), unless they are there. The scripts that are needed run in one
    /// transaction under an advisory lock, so processes that start at once create them once and none fails.
    /// </summary>
    /// <remarks>
    /// When the tables exist this only reads, with no lock: a process whose role may not create tables still passes.
    /// A database set up from Orleans' scripts by hand is left as it is.
    /// </remarks>
    /// <param name="connectionString">The Npgsql connection string, the one given to Orleans' clustering.</param>
    /// <param name="cancellationToken">Stops the work; nothing is created then.</param>
    /// <returns>Where the tables are and which scripts ran.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or not a valid Npgsql connection string.</exception>
    /// <exception cref="StoreUnavailableException">The server could not be reached.</exception>
    /// <exception cref="AnnalsException">The server refused the scripts, or no schema of the search path exists.</exception>
    public static async Task<OrleansSchemaOutcome> EnsureCreatedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var server = Describe(new NpgsqlConnectionStringBuilder(connectionString));
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var schemas = await SchemasAsync(connection, null, cancellationToken).ConfigureAwait(false);
            if (Array.TrueForAll(schemas, s => s is not null))
            {
                return new OrleansSchemaOutcome(schemas[^1]!, []);
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, LockSql, cancellationToken).ConfigureAwait(false);

            // Again under the lock: another process may have created them while this one waited for it.
            schemas = await SchemasAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var missing = OrleansScript.Clustering.Where((_, i) => schemas[i] is null).ToList();
            if (missing.Count == 0)
            {
                return new OrleansSchemaOutcome(schemas[^1]!, []);
            }

            // Where new tables go: the first schema of the search path that exists, which holds none of the missing
            // tables, so the first where Orleans' queries will find the membership table once it is created.
            var target = await ScalarAsync<string?>(connection, transaction, "SELECT current_schema()", null, cancellationToken).ConfigureAwait(false)
                ?? throw new AnnalsException($"Orleans' clustering tables cannot be created on {server}: no schema of the connection's search path exists. Create the schema, or name one that exists with 'Search Path=' in the connection string.");
            foreach (var script in missing)
            {
                await ExecuteAsync(connection, transaction, script.Read(), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new OrleansSchemaOutcome(schemas[^1] ?? target, [.. missing.Select(s => s.Name)]);
        }
        catch (PostgresException e) when (!IsConnectionLoss(e))
        {
            throw new AnnalsException($"Orleans' clustering tables could not be set up on {server}: {e.MessageText} ({e.SqlState})", e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or SocketException or TimeoutException)
        {
            throw new StoreUnavailableException($"The PostgreSQL server {server} could not be reached to set up Orleans' clustering tables: {e.Message}", e);
        }
    }

    /// <summary>How messages name a server: <c>host:port/database</c>, never with the password.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{builder.Host ?? "localhost"}:{builder.Port}{(builder.Database is { } database ? "/" + database : string.Empty)}";

    private static bool IsConnectionLoss(PostgresException e) =>
        e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState is "57P01" or "57P02" or "57P03";

    // The schema of each script's table, in the order of the scripts; null where it is missing.
    private static async Task<string?[]> SchemasAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var schemas = new string?[OrleansScript.Clustering.Count];
        for (var i = 0; i < schemas.Length; i++)
        {
            schemas[i] = await ScalarAsync<string?>(connection, transaction, SchemaOfSql, OrleansScript.Clustering[i].Table, cancellationToken).ConfigureAwait(false);
        }

        return schemas;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, string? argument, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        if (argument is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = argument });
        }

        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? default! : (T)value!;
    }
}
