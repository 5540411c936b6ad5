using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// The whole storage contract on PostgreSQL: any number of processes append concurrently, every
/// commit is ordered by one row lock so positions follow commit order, concurrent commits of a
/// process share one transaction, and subscriptions are woken by <c>LISTEN/NOTIFY</c>.
/// </summary>
/// <example>
/// <code>
/// await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions
/// {
///     ConnectionString = "Host=db;Username=app;Password=...;Database=app",
///     Schema = "orders",
/// });
/// </code>
/// </example>
public sealed partial class PostgresEventStore : EventStoreBase
{
    private readonly PostgresEventStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writerDataSource;
    private readonly bool _ownsDataSources;
    private readonly PostgresWriter _writer;
    private readonly PostgresNotifications _notifications;
    private readonly PostgresStoreLock _lock;
    private int _disposed;

    private PostgresEventStore(PostgresEventStoreOptions options, NpgsqlDataSource dataSource, NpgsqlDataSource writerDataSource, bool ownsDataSources, PostgresStoreLock storeLock)
        : base(options.MaxEventBytes)
    {
        _lock = storeLock;
        _options = options;
        _dataSource = dataSource;
        _writerDataSource = writerDataSource;
        _ownsDataSources = ownsDataSources;
        Schema = options.Schema;
        var logger = LoggerOf(options);
        _notifications = new PostgresNotifications(dataSource, options.Schema, Channel(options.Schema), options.PollInterval, options.TimeProvider, logger);
        _writer = new PostgresWriter(writerDataSource, options.Schema, options.TimeProvider, options.MaxGroupSize, _notifications.Signal, storeLock, logger, options.SlowCommitThreshold);
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>Whether the store was opened exclusively (<see cref="PostgresEventStoreOptions.Exclusive"/>).</summary>
    public bool IsExclusive => _lock.Exclusive;

    /// <summary>This store's writer, whose counters tests read.</summary>
    internal PostgresWriter Writer => _writer;

    /// <summary>The lock this store holds on its schema, which tests end and watch.</summary>
    internal PostgresStoreLock StoreLock => _lock;

    /// <summary>
    /// Opens a store: takes its lock on the schema (shared, or exclusive with <see cref="PostgresEventStoreOptions.Exclusive"/>),
    /// creates or migrates its schema (under an advisory lock), then starts its writer and listener.
    /// </summary>
    /// <param name="options">Where and how: a connection string, from which the store builds (and, when disposed, disposes) its own data sources, or a data source of the caller's, which the store uses and leaves open.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">An option is invalid, both or neither of <see cref="PostgresEventStoreOptions.ConnectionString"/> and <see cref="PostgresEventStoreOptions.DataSource"/> are set, or the data source cannot serve a store (multiplexing, a pool of fewer than 4); the message names the option.</exception>
    /// <exception cref="StoreLockedException">The schema is open exclusively by another store object (in this process or another), or the open is exclusive and the schema is open elsewhere.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached.</exception>
    public static ValueTask<PostgresEventStore> OpenAsync(PostgresEventStoreOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(options, named: null, cancellationToken);

    /// <summary>The advisory lock key that open stores of a schema hold (see <see cref="PostgresEventStoreOptions.Exclusive"/>), to find them in <c>pg_locks</c>.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>
    /// The first 8 bytes of the SHA-256 of the UTF-8 of <c>annals.store:</c> and the schema name, read big-endian as a signed
    /// 64-bit integer. <c>pg_locks</c> shows it with <c>locktype</c> <c>advisory</c>, its high 32 bits as <c>classid</c>, its
    /// low 32 bits as <c>objid</c>, and <c>objsubid</c> 1.
    /// </returns>
    public static long GetLockKey(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return PostgresLockKey.Of(schema);
    }

    /// <summary>
    /// Opens a store. Opened as a named store (<paramref name="named"/>), it refuses a schema holding tables of another
    /// kind, and fails with <see cref="StoreNotFoundException"/> when the schema holds no store unless it may create one.
    /// </summary>
    internal static async ValueTask<PostgresEventStore> OpenAsync(PostgresEventStoreOptions options, StoreOpenOptions? named, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var schema = options.Schema;
        NpgsqlDataSource dataSource;
        NpgsqlDataSource writerDataSource;
        Func<CancellationToken, ValueTask<NpgsqlConnection>> connectLock;
        var owned = options.DataSource is null;
        if (options.DataSource is { } given)
        {
            if (PostgresConnectionString.CheckShared(given) is { } refused)
            {
                throw new ArgumentException($"PostgresEventStoreOptions.DataSource cannot serve a store: {refused}.", nameof(options));
            }

            // The caller's data source serves the writer and the lock too: another one could not be built from it without its password.
            dataSource = writerDataSource = given;
            connectLock = given.OpenConnectionAsync;
        }
        else
        {
            string? problem;
            string lockConnectionString;
            try
            {
                problem = PostgresConnectionString.CheckSessions(options.ConnectionString);
                dataSource = NpgsqlDataSource.Create(options.ConnectionString);
                writerDataSource = NpgsqlDataSource.Create(PostgresConnectionString.ForWriter(options.ConnectionString));
                lockConnectionString = PostgresConnectionString.ForLock(options.ConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString is invalid: {e.Message}", nameof(options), e);
            }

            if (problem is not null)
            {
                await writerDataSource.DisposeAsync().ConfigureAwait(false);
                await dataSource.DisposeAsync().ConfigureAwait(false);
                throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString cannot serve a store: {problem}.", nameof(options));
            }

            connectLock = async ct =>
            {
                var connection = new NpgsqlConnection(lockConnectionString);
                try
                {
                    await connection.OpenAsync(ct).ConfigureAwait(false);
                    return connection;
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            };
        }

        PostgresStoreLock? storeLock = null;
        try
        {
            // The lock comes first: a schema being dropped under an exclusive lock is neither made again nor migrated meanwhile.
            storeLock = await PostgresStoreLock.TakeAsync(connectLock, schema, options.Exclusive, cancellationToken).ConfigureAwait(false);
            if (named is not null)
            {
                switch (await PostgresSchema.InspectAsync(dataSource, schema, cancellationToken).ConfigureAwait(false))
                {
                    case PostgresSchemaKind.Foreign:
                        throw PostgresStoreProvider.Foreign(schema);
                    case PostgresSchemaKind.Missing or PostgresSchemaKind.Empty when !named.CreateIfMissing:
                        throw new StoreNotFoundException(schema, $"No store named '{schema}': the schema does not exist or holds no store.");
                }
            }

            var before = await PostgresSchema.MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            var logger = LoggerOf(options);
            if (before != PostgresSchema.CurrentVersion)
            {
                PostgresLog.Migrated(logger, schema, before, PostgresSchema.CurrentVersion);
            }

            PostgresLog.Opened(logger, schema, PostgresSchema.CurrentVersion, options.Exclusive ? "exclusive" : "shared");
            return new PostgresEventStore(options, dataSource, writerDataSource, owned, storeLock);
        }
        catch (Exception e)
        {
            if (storeLock is not null)
            {
                await storeLock.DisposeAsync().ConfigureAwait(false);
            }

            if (owned)
            {
                await writerDataSource.DisposeAsync().ConfigureAwait(false);
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            var translated = PostgresErrors.Translate(e, schema);
            if (ReferenceEquals(translated, e))
            {
                throw;
            }

            throw translated;
        }
    }

    /// <inheritdoc />
    protected override string DatabaseSystem => "postgresql";

    /// <inheritdoc />
    protected override string? DatabaseNamespace => Schema;

    /// <summary>Finishes queued commits, ends live subscriptions, releases the store's lock and closes the connections: those of a data source the store built are closed for good, and a caller's data source gets its connections back and stays open.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _notifications.DisposeAsync().ConfigureAwait(false);

        // Released last: until the writer has finished, no exclusive opener may get in.
        await _lock.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSources)
        {
            await _writerDataSource.DisposeAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The notification channel of a schema's commits.</summary>
    internal static string Channel(string schema)
    {
        var channel = "annals_" + schema;
        return channel.Length > 63 ? channel[..63] : channel;
    }

    /// <inheritdoc />
    protected override async ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return await _writer.EnqueueAsync(operations, cancellationToken).ConfigureAwait(false);
    }

    private static ILogger LoggerOf(PostgresEventStoreOptions options) =>
        options.LoggerFactory?.CreateLogger<PostgresEventStore>() ?? (ILogger)NullLogger.Instance;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
