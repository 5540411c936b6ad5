using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annals.Sqlite;

/// <summary>
/// The whole storage contract on one SQLite file: WAL, durable commits, group commit, live
/// subscriptions. One process owns writing a file; others may open it read-only.
/// </summary>
/// <example>
/// <code>
/// await using var store = await SqliteEventStore.OpenAsync("app.db");
/// await store.AppendAsync(StreamName.For("account", "42"), ExpectedRevision.NoStream, opened);
/// </code>
/// </example>
public sealed partial class SqliteEventStore : EventStoreBase
{
    private readonly SqliteEventStoreOptions _options;
    private readonly string _readConnectionString;
    private readonly FileStream? _lockFile;
    private readonly SqliteWriter? _writer;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Pulse _appended = new();
    private int _disposed;

    private SqliteEventStore(SqliteEventStoreOptions options, string path, string readConnectionString, FileStream? lockFile, SqliteConnection? writerConnection)
        : base(options.MaxEventBytes)
    {
        _options = options;
        Path = path;
        _readConnectionString = readConnectionString;
        _lockFile = lockFile;
        if (writerConnection is not null)
        {
            _writer = new SqliteWriter(writerConnection, path, options.TimeProvider, options.MaxGroupSize, _appended.Fire, LoggerOf(options), options.SlowCommitThreshold);
        }
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Whether the store was opened read-only.</summary>
    public bool IsReadOnly => _writer is null;

    /// <summary>Opens (and creates, if missing) a store for writing, with default options.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="StoreLockedException">Another process or store object owns the file.</exception>
    public static ValueTask<SqliteEventStore> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenAsync(new SqliteEventStoreOptions { Path = path }, cancellationToken);

    /// <summary>Opens a store.</summary>
    /// <param name="options">Where and how.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="StoreLockedException">Opening for writing, and another process or store object owns the file.</exception>
    /// <exception cref="AnnalsException">Opening read-only a file that is missing or not an Annals store.</exception>
    public static ValueTask<SqliteEventStore> OpenAsync(SqliteEventStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var path = System.IO.Path.GetFullPath(options.Path);
        return ValueTask.FromResult(options.ReadOnly ? OpenReadOnly(options, path) : OpenForWriting(options, path));
    }

    private static SqliteEventStore OpenForWriting(SqliteEventStoreOptions options, string path) =>
        OpenForWriting(options, path, SqliteFileLock.Take(path));

    /// <summary>Opens the store at <paramref name="path"/> (a full path) for writing under its lock, which the caller took; released when the store is disposed, or at once if the open fails.</summary>
    internal static SqliteEventStore OpenForWriting(SqliteEventStoreOptions options, string path, FileStream lockFile)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                var synchronous = options.Durability == SqliteDurability.Full ? "FULL" : "NORMAL";
                pragmas.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;";
                pragmas.ExecuteNonQuery();
            }

            var before = SqliteSchema.Migrate(connection, path);
            var read = ReadConnectionString(path, SqliteOpenMode.ReadWrite);
            var store = new SqliteEventStore(options, path, read, lockFile, connection);
            var logger = LoggerOf(options);
            if (before != SqliteSchema.CurrentVersion)
            {
                SqliteLog.Migrated(logger, path, before, SqliteSchema.CurrentVersion);
            }

            SqliteLog.Opened(logger, path, "writing", SqliteSchema.CurrentVersion, options.Durability);
            return store;
        }
        catch (Exception e)
        {
            connection?.Dispose();
            lockFile.Dispose();
            throw SqliteErrors.Translate(e, path);
        }
    }

    private static SqliteEventStore OpenReadOnly(SqliteEventStoreOptions options, string path)
    {
        if (!File.Exists(path))
        {
            throw new StoreNotFoundException(path, $"No store at '{path}': the file does not exist.");
        }

        var read = ReadConnectionString(path, SqliteOpenMode.ReadOnly);
        try
        {
            using var connection = new SqliteConnection(read);
            connection.Open();
            SqliteSchema.Verify(connection, path);
        }
        catch (Exception e)
        {
            SqliteConnection.ClearAllPools();
            throw SqliteErrors.Translate(e, path);
        }

        SqliteLog.Opened(LoggerOf(options), path, "reading", SqliteSchema.CurrentVersion, options.Durability);
        return new SqliteEventStore(options, path, read, null, null);
    }

    private static ILogger LoggerOf(SqliteEventStoreOptions options) =>
        options.LoggerFactory?.CreateLogger<SqliteEventStore>() ?? (ILogger)NullLogger.Instance;

    private static string ReadConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <inheritdoc />
    protected override string DatabaseSystem => "sqlite";

    /// <inheritdoc />
    protected override string? DatabaseNamespace => Path;

    /// <summary>Finishes queued commits, ends live subscriptions and releases the file.</summary>
    /// <returns>A task that completes when the file is released.</returns>
    public override ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _writer?.Dispose();
        _disposing.Cancel();
        _appended.Close();

        using (var connection = new SqliteConnection(_readConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _lockFile?.Dispose();
        _disposing.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    protected override async ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        if (_writer is null)
        {
            throw new StoreReadOnlyException(Path);
        }

        return await _writer.EnqueueAsync(operations, cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
