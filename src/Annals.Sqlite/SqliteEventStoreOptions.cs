using Annals.Storage;
using Microsoft.Extensions.Logging;

namespace Annals.Sqlite;

/// <summary>Options of a <see cref="SqliteEventStore"/>.</summary>
public sealed class SqliteEventStoreOptions
{
    /// <summary>The database file; created with its schema when missing (unless read-only).</summary>
    /// <value>The default value is <c>annals.db</c> in the current directory.</value>
    public string Path { get; set; } = "annals.db";

    /// <summary>Whether to open for reading only: no lock is taken, so a process can inspect a file another process owns.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ReadOnly { get; set; }

    /// <summary>How hard a commit works to survive a crash.</summary>
    /// <value>The default value is <see cref="SqliteDurability.Full"/>.</value>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>The largest event allowed, data plus metadata, in bytes.</summary>
    /// <value>The default value is <see cref="EventStoreLimits.DefaultMaxEventBytes"/> (1 MiB).</value>
    public int MaxEventBytes { get; set; } = EventStoreLimits.DefaultMaxEventBytes;

    /// <summary>The most batches that share one transaction and one flush.</summary>
    /// <value>The default value is 256.</value>
    public int MaxGroupSize { get; set; } = 256;

    /// <summary>How often a read-only store looks for new events to deliver to its subscriptions (the owner wakes them on commit instead).</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The clock that stamps events, snapshots, state and messages.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the store logs what an operator needs: opened, migrated, slow commits, connections lost and back.</summary>
    /// <value>The default value is <see langword="null"/>: no log.</value>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>A group of commits that takes longer than this to write is logged as a warning, with its size.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan SlowCommitThreshold { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (SlowCommitThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SlowCommitThreshold), SlowCommitThreshold, "SqliteEventStoreOptions.SlowCommitThreshold must be positive.");
        }

        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new ArgumentException("SqliteEventStoreOptions.Path must name a file.", nameof(Path));
        }

        if (MaxEventBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventBytes), MaxEventBytes, "SqliteEventStoreOptions.MaxEventBytes must be at least 1.");
        }

        if (MaxGroupSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGroupSize), MaxGroupSize, "SqliteEventStoreOptions.MaxGroupSize must be at least 1.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "SqliteEventStoreOptions.PollInterval must be positive.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("SqliteEventStoreOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }
}
