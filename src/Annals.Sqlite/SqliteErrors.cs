using Annals.Storage;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>Translates provider errors at the edge, so no <see cref="SqliteException"/> escapes the store.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    private const int NoMemory = 7;

    /// <summary>Whether an error is the database's, not one batch's: a lock, a full disk, an I/O error, damage.</summary>
    public static bool IsStoreWide(Exception error) => error switch
    {
        SqliteException { SqliteErrorCode: Busy or Locked or NoMemory or ReadOnly or IoError or Corrupt or Full or CantOpen or NotADatabase } => true,
        IOException => true,
        _ => false,
    };

    /// <summary>What a batch's caller is told of an error that failed that batch alone: an Annals error, never a provider's.</summary>
    public static Exception ForBatch(Exception error, string path, CancellationToken cancellation) => Translate(error, path) switch
    {
        OperationCanceledException when cancellation.IsCancellationRequested => error,
        AnnalsException annals => annals,
        var other => new CommitFailedException(other),
    };

    public static Exception Translate(Exception error, string path) => error switch
    {
        AnnalsException or OperationCanceledException or ObjectDisposedException => error,
        SqliteException { SqliteErrorCode: Busy or Locked } e => new StoreLockedException(path, $"The database '{path}' is locked by another connection; try again.", e),
        SqliteException { SqliteErrorCode: Corrupt or NotADatabase } e => new CorruptDataException($"The database '{path}' is damaged or not a SQLite file: {e.Message}", e),
        SqliteException { SqliteErrorCode: IoError or Full or CantOpen or ReadOnly } e => new StoreUnavailableException($"The database '{path}' could not be read or written: {e.Message}", e),
        SqliteException e => new AnnalsException($"SQLite failed on '{path}': {e.Message}", e),
        IOException e => new StoreUnavailableException($"The database '{path}' could not be read or written: {e.Message}", e),
        _ => error,
    };
}
