using Npgsql;

namespace Annals.Cli.Tests;

/// <summary>
/// The PostgreSQL server named by the <c>ANNALS_POSTGRES</c> environment variable (set by test.sh),
/// with a fresh schema per test. A missing server fails the test; it never skips.
/// </summary>
public static class PostgresServer
{
    private static int _count;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ANNALS_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    /// <summary>How the tool names the server in its messages: host:port/database.</summary>
    public static string Display
    {
        get
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{builder.Host}:{builder.Port}/{builder.Database}";
        }
    }

    public static string NewSchema() => $"cli{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";

    public static async Task<bool> SchemaExistsAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public static async Task DropAsync(IEnumerable<string> schemas)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
