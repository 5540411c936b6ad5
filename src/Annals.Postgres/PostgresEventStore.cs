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
    private readonly PostgresWriter _writer;
    private readonly PostgresNotifications _notifications;
    private int _disposed;

    private PostgresEventStore(PostgresEventStoreOptions options, NpgsqlDataSource dataSource, NpgsqlDataSource writerDataSource)
        : base(options.MaxEventBytes)
    {
        _options = options;
        _dataSource = dataSource;
        _writerDataSource = writerDataSource;
        Schema = options.Schema;
        _notifications = new PostgresNotifications(dataSource, Channel(options.Schema), options.PollInterval, options.TimeProvider);
        _writer = new PostgresWriter(writerDataSource, options.Schema, options.TimeProvider, options.MaxGroupSize, _notifications.Signal);
    }

    /// <summary>The schema holding the store's tables.</summary>
    public string Schema { get; }

    /// <summary>This store's writer, whose counters tests read.</summary>
    internal PostgresWriter Writer => _writer;

    /// <summary>Opens a store: creates or migrates its schema (under an advisory lock), then starts its writer and listener.</summary>
    /// <param name="options">Where and how.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="StoreUnavailableException">The server cannot be reached.</exception>
    public static async ValueTask<PostgresEventStore> OpenAsync(PostgresEventStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NpgsqlDataSource dataSource;
        string writerConnectionString;
        try
        {
            dataSource = NpgsqlDataSource.Create(options.ConnectionString);
            writerConnectionString = PostgresConnectionString.ForWriter(options.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"PostgresEventStoreOptions.ConnectionString is invalid: {e.Message}", nameof(options), e);
        }

        try
        {
            await PostgresSchema.MigrateAsync(dataSource, options.Schema, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw PostgresErrors.Translate(e, options.Schema);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new PostgresEventStore(options, dataSource, NpgsqlDataSource.Create(writerConnectionString));
    }

    /// <summary>Finishes queued commits, ends live subscriptions and closes the connections.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        await _writerDataSource.DisposeAsync().ConfigureAwait(false);
        await _notifications.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
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

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
