using System.Net.Sockets;
using Annals.Storage;
using Npgsql;

namespace Annals.Cli.Infrastructure;

/// <summary>
/// What the tool asks PostgreSQL itself, beside the store: whether a schema holds a store (before
/// opening it, which would make one), and dropping it for <c>demo --reset</c>; what a store holds it
/// asks the store (<see cref="IStoreCatalogueReader"/>). Npgsql's errors become the store's errors here,
/// as they do inside the store, so the user gets one line.
/// </summary>
internal sealed class PostgresCatalog(string connectionString, string schema, string server)
{
    /// <summary>What a schema is.</summary>
    public enum SchemaKind
    {
        /// <summary>There is no such schema.</summary>
        Missing,

        /// <summary>The schema exists but holds no Annals store.</summary>
        Other,

        /// <summary>The schema holds an Annals store.</summary>
        Store,
    }

    public Task<SchemaKind> FindAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(
                    "SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1), to_regclass(quote_ident($1) || '.schema_version') IS NOT NULL",
                    connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                return !reader.GetBoolean(0) ? SchemaKind.Missing : reader.GetBoolean(1) ? SchemaKind.Store : SchemaKind.Other;
            },
            cancellationToken);

    public Task DropAsync(CancellationToken cancellationToken) =>
        RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (PostgresException e) when (!e.SqlState.StartsWith("08", StringComparison.Ordinal))
        {
            throw new AnnalsException($"PostgreSQL at {server} refused: {e.MessageText} ({e.SqlState})", e);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or SocketException or TimeoutException)
        {
            throw new StoreUnavailableException($"The PostgreSQL server at {server} could not be reached: {e.Message}", e);
        }
    }
}
