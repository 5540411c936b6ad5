using System.Net.Sockets;
using Annals.Storage;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Translates provider errors at the edge, so no <see cref="NpgsqlException"/> escapes the store.</summary>
internal static class PostgresErrors
{
    public static bool IsConnectionLoss(Exception error) => error switch
    {
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException e => e.IsTransient || e.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException => true,
        _ => false,
    };

    /// <summary>What a batch's caller is told of an error that failed its group or itself: an Annals error, never a provider's or the runtime's.</summary>
    public static Exception ForBatch(Exception error, string schema) => Translate(error, schema) switch
    {
        var translated and (AnnalsException or ObjectDisposedException) => translated,
        var other => new CommitFailedException(other),
    };

    public static Exception Translate(Exception error, string schema) => error switch
    {
        AnnalsException or OperationCanceledException or ObjectDisposedException => error,
        _ when IsConnectionLoss(error) => new StoreUnavailableException($"The PostgreSQL server of store '{schema}' could not be reached: {error.Message}", error),
        PostgresException e => new AnnalsException($"PostgreSQL failed on store '{schema}': {e.MessageText} ({e.SqlState})", e),
        NpgsqlException e => new StoreUnavailableException($"The PostgreSQL server of store '{schema}' failed: {e.Message}", e),
        _ => error,
    };
}
