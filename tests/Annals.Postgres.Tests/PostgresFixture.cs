using Annals.Postgres;
using Annals.Storage;
using Annals.Testing;
using Npgsql;

namespace Annals.Postgres.Tests;

/// <summary>
/// Makes each conformance test a store in a schema of its own on the server named by the
/// <c>ANNALS_POSTGRES</c> environment variable (set by test.sh). A missing server fails the test.
/// </summary>
public sealed class PostgresFixture : IEventStoreFixture
{
    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(ConnectionString));
    private static int _count;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ANNALS_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    /// <summary>One data source for the tests' own SQL, shared by every test of the run.</summary>
    public static NpgsqlDataSource DataSource => Shared.Value;

    /// <summary>Runs SQL of a test's own with positional parameters and returns the first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }

    /// <summary>An event of the type, whose data names the type.</summary>
    public static EventData Event(string type) => new(Guid.NewGuid(), type, System.Text.Encoding.UTF8.GetBytes($$"""{"type":"{{type}}"}"""));

    public static string NewSchema() => $"t{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";

    public async Task<IEventStore> CreateStoreAsync() => await OpenAsync(NewSchema()).ConfigureAwait(false);

    public static async Task<PostgresEventStore> OpenAsync(string schema, Action<PostgresEventStoreOptions>? configure = null)
    {
        var options = new PostgresEventStoreOptions { ConnectionString = ConnectionString, Schema = schema };
        configure?.Invoke(options);
        return await PostgresEventStore.OpenAsync(options).ConfigureAwait(false);
    }
}
