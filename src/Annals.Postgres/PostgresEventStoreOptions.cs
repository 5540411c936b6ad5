using System.Text.RegularExpressions;
using Annals.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Options of a <see cref="PostgresEventStore"/>.</summary>
public sealed partial class PostgresEventStoreOptions
{
    /// <summary>
    /// The Npgsql connection string of the server. The store builds its own data sources from it (one of
    /// them tuned for its writer, which prepares its statements) and disposes them with itself.
    /// </summary>
    /// <value>The default value is empty. Set exactly one of <see cref="ConnectionString"/> and <see cref="DataSource"/>.</value>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// A data source of the caller's, such as the one <c>AddNpgsqlDataSource</c> registers, which the store takes
    /// all its connections from: its writer's, its lock's, its listener's (while a subscription waits) and those of reads and
    /// leases. The caller owns it: disposing the store returns the connections to it and leaves it open.
    /// </summary>
    /// <remarks>
    /// The store holds three of its connections for as long as it is open (the writer's, the listener's and its lock's), so it
    /// needs a pool of at least 4, and it needs real sessions, so multiplexing must be off; both are checked on open.
    /// The writer's statement preparation is the data source's to choose here: add
    /// <c>Max Auto Prepare=64;Auto Prepare Min Usages=2</c> to its connection string for what the store does with one it builds.
    /// </remarks>
    /// <value>The default value is <see langword="null"/>. Set exactly one of <see cref="ConnectionString"/> and <see cref="DataSource"/>.</value>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>The schema holding Annals' tables; created and migrated on open.</summary>
    /// <value>The default value is <c>annals</c>. Lowercase letters, digits and <c>_</c>, starting with a letter or <c>_</c>, at most 63 characters; not a name PostgreSQL reserves (<c>pg_</c>…, <c>information_schema</c>).</value>
    public string Schema { get; set; } = "annals";

    /// <summary>
    /// Whether the store is opened for this store object alone. Every store holds a session advisory lock on its schema,
    /// on a connection of its own, for as long as it is open: shared by default, exclusive with this flag. An exclusive
    /// open is refused while the schema is open anywhere else, and keeps every other open, exclusive or not, in this
    /// process or another, out with <see cref="StoreLockedException"/> until it is disposed.
    /// </summary>
    /// <remarks>
    /// The key is <see cref="PostgresEventStore.GetLockKey"/> of the schema. The server releases the lock when the lock's
    /// session ends (a restart, a lost connection). A shared open takes it again before its next commit; an exclusive one
    /// cannot tell whether another opener came and went meanwhile, so every later commit fails with
    /// <see cref="StoreLockLostException"/>: dispose it and open it again.
    /// </remarks>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Exclusive { get; set; }

    /// <summary>The largest event allowed, data plus metadata, in bytes.</summary>
    /// <value>The default value is <see cref="EventStoreLimits.DefaultMaxEventBytes"/> (1 MiB).</value>
    public int MaxEventBytes { get; set; } = EventStoreLimits.DefaultMaxEventBytes;

    /// <summary>The most batches of this process that share one transaction.</summary>
    /// <value>The default value is 256.</value>
    public int MaxGroupSize { get; set; } = 256;

    /// <summary>How often subscriptions look for new events when no notification arrives (a lost connection, another process's commit while re-listening).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock that stamps events, snapshots, state and messages.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the store logs what an operator needs: opened, migrated, slow commits, connections lost and back.</summary>
    /// <value>The default value is <see langword="null"/>: no log.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A group of commits that takes longer than this to write is logged as a warning, with its size.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan SlowCommitThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A copy of these options for the store in another schema, opened exclusively or not.</summary>
    internal PostgresEventStoreOptions For(string schema, bool exclusive) => new()
    {
        ConnectionString = ConnectionString,
        DataSource = DataSource,
        Schema = schema,
        Exclusive = exclusive,
        MaxEventBytes = MaxEventBytes,
        MaxGroupSize = MaxGroupSize,
        PollInterval = PollInterval,
        TimeProvider = TimeProvider,
        LoggerFactory = LoggerFactory,
        SlowCommitThreshold = SlowCommitThreshold,
    };

    internal void Validate()
    {
        if (SlowCommitThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlowCommitThreshold), SlowCommitThreshold, "PostgresEventStoreOptions.SlowCommitThreshold must be positive.");
        }

        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (DataSource is not null))
        {
            throw new ArgumentException(
                hasConnectionString
                    ? "PostgresEventStoreOptions.ConnectionString and PostgresEventStoreOptions.DataSource are both set; set exactly one."
                    : "PostgresEventStoreOptions.ConnectionString or PostgresEventStoreOptions.DataSource must be set.",
                hasConnectionString ? nameof(DataSource) : nameof(ConnectionString));
        }

        if (CheckSchema(Schema) is { } problem)
        {
            throw new ArgumentException($"PostgresEventStoreOptions.Schema '{Schema}' is invalid: {problem}.", nameof(Schema));
        }

        if (MaxEventBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventBytes), MaxEventBytes, "PostgresEventStoreOptions.MaxEventBytes must be at least 1.");
        }

        if (MaxGroupSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGroupSize), MaxGroupSize, "PostgresEventStoreOptions.MaxGroupSize must be at least 1.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "PostgresEventStoreOptions.PollInterval must be positive.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("PostgresEventStoreOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }

    /// <summary>Why a schema name cannot hold an Annals store, or <see langword="null"/> when it can.</summary>
    /// <param name="schema">The schema name.</param>
    /// <returns>The rule it breaks, or <see langword="null"/>.</returns>
    public static string? CheckSchema(string? schema)
    {
        if (schema is null || !SchemaName().IsMatch(schema))
        {
            return "use lowercase letters, digits and '_', starting with a letter or '_', at most 63 characters";
        }

        // PostgreSQL refuses to create schemas named pg_*, and information_schema is its own: both would fail only at open.
        return schema.StartsWith("pg_", StringComparison.Ordinal) || schema == "information_schema"
            ? "it is reserved by PostgreSQL, which keeps names starting with 'pg_' and 'information_schema' for itself"
            : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
