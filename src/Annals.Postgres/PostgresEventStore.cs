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
    private int _disposed;

    private PostgresEventStore(PostgresEventStoreOptions options, NpgsqlDataSource dataSource, NpgsqlDataSource writerDataSource, bool ownsDataSources)
        : base(options.MaxEventBytes)
    {
        _options = options;
        _dataSource = dataSource;
        _writerDataSource = writerDataSource;
        _ownsDataSources = ownsDataSources;
        Schema = options.Schema;
        var logger = LoggerOf(options);
        _notifications = new PostgresNotifications(dataSource, options.Schema, Channel(options.Schema), options.PollInterval, options.TimeProvider, logger);
        _writer = new PostgresWriter(writerDataSource, options.Schema, options.TimeProvider, options.MaxGroupSize, _notifications.Signal, logger, options.SlowCommitThreshold);
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>This store's writer, whose counters tests read.</summary>
    internal PostgresWriter Writer => _writer;

    /// <summary>Opens a store: creates or migrates its schema (under an advisory lock), then starts its writer and listener.</summary>
    /// <param name="options">Where and how: a connection string, from which the store builds (and, when disposed, disposes) its own data sources, or a data source of the caller's, which the store uses and leaves open.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">An option is invalid, both or neither of <see cref="PostgresEventStoreOptions.ConnectionString"/> and <see cref="PostgresEventStoreOptions.DataSource"/> are set, or the data source cannot serve a store (multiplexing, a pool of fewer than 3); the message names the option.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached.</exception>
    public static async ValueTask<PostgresEventStore> OpenAsync(PostgresEventStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.DataSource is { } given)
        {
            if (PostgresConnectionString.CheckShared(given) is { } refused)
            {
                throw new ArgumentException($"PostgresEventStoreOptions.DataSource cannot serve a store: {refused}.", nameof(options));
            }

            // The caller's data source serves the writer too: another one could not be built from it without its password.
            await MigrateAsync(given, options, owned: false, cancellationToken).ConfigureAwait(false);
            return new PostgresEventStore(options, given, given, ownsDataSources: false);
        }

        string? problem;
        NpgsqlDataSource dataSource;
        string writerConnectionString;
        try
        {
            problem = PostgresConnectionString.CheckSessions(options.ConnectionString);
            dataSource = NpgsqlDataSource.Create(options.ConnectionString);
            writerConnectionString = PostgresConnectionString.ForWriter(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString is invalid: {e.Message}", nameof(options), e);
        }

        if (problem is not null)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString cannot serve a store: {problem}.", nameof(options));
        }

        await MigrateAsync(dataSource, options, owned: true, cancellationToken).ConfigureAwait(false);
        return new PostgresEventStore(options, dataSource, NpgsqlDataSource.Create(writerConnectionString), ownsDataSources: true);
    }

    /// <inheritdoc />
    protected override string DatabaseSystem => "postgresql";

    /// <inheritdoc />
    protected override string? DatabaseNamespace => Schema;

    /// <summary>Finishes queued commits, ends live subscriptions and closes the connections: those of a data source the store built are closed for good, and a caller's data source gets its connections back and stays open.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _notifications.DisposeAsync().ConfigureAwait(false);
        if (_ownsDataSources)
        {
            await _writerDataSource.DisposeAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ILogger LoggerOf(PostgresEventStoreOptions options) =>
        options.LoggerFactory?.CreateLogger<PostgresEventStore>() ?? (ILogger)NullLogger.Instance;

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

    private static async Task MigrateAsync(NpgsqlDataSource dataSource, PostgresEventStoreOptions options, bool owned, CancellationToken cancellationToken)
    {
        var schema = options.Schema;
        try
        {
            var before = await PostgresSchema.MigrateAsync(dataSource, schema, cancellationToken).ConfigureAwait(false);
            var logger = LoggerOf(options);
            if (before != PostgresSchema.CurrentVersion)
            {
                PostgresLog.Migrated(logger, schema, before, PostgresSchema.CurrentVersion);
            }

            PostgresLog.Opened(logger, schema, PostgresSchema.CurrentVersion);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            if (owned)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }

            throw PostgresErrors.Translate(e, schema);
        }
        catch when (owned)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
