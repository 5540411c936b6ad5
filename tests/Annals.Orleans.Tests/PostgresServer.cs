namespace Annals.Orleans.Tests;

/// <summary>The PostgreSQL server named by <c>ANNALS_POSTGRES</c>, as build/postgres.sh (and test.sh) set it. A missing server fails the test.</summary>
public static class PostgresServer
{
    private static int _count;

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ANNALS_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_POSTGRES is not set: source build/postgres.sh and run annals_postgres_start, or run the tests with ./test.sh.");

    /// <summary>A schema no other test of any run uses.</summary>
    public static string NewSchema() => $"o{Environment.ProcessId}_{Interlocked.Increment(ref _count)}_{Guid.NewGuid().ToString("N")[..8]}";
}
