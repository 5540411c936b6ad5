using Annals.Postgres;
using Annals.Testing;

namespace Annals.Postgres.Tests;

/// <summary>
/// Makes each conformance test a store in a schema of its own on the server named by the
/// <c>ANNALS_POSTGRES</c> environment variable (set by test.sh). A missing server fails the test.
/// </summary>
public sealed class PostgresFixture : IEventStoreFixture
{
    private static int _count;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ANNALS_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL and sets it.");

    public static string NewSchema() => $"t{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";

    public async Task<IEventStore> CreateStoreAsync() => await OpenAsync(NewSchema()).ConfigureAwait(false);

    public static async Task<PostgresEventStore> OpenAsync(string schema, Action<PostgresEventStoreOptions>? configure = null)
    {
        var options = new PostgresEventStoreOptions { ConnectionString = ConnectionString, Schema = schema };
        configure?.Invoke(options);
        return await PostgresEventStore.OpenAsync(options).ConfigureAwait(false);
    }
}
