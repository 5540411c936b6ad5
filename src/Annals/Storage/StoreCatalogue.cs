namespace Annals.Storage;

/// <summary>
/// What a store holds and where, as the store itself reports it: the counts of each kind of record, the head
/// position, the version of its schema and the tables it keeps them in, so tools need not know a backend's tables.
/// </summary>
/// <remarks>The counts are read together (in one transaction on a database), so they agree with each other.</remarks>
public sealed record StoreCatalogue
{
    /// <summary>The backend: <c>in-memory</c>, <c>SQLite</c> or <c>PostgreSQL</c>.</summary>
    public required string Backend { get; init; }

    /// <summary>Where the store is: the full path of a SQLite file, the schema of a PostgreSQL store, <c>memory</c> for an in-memory one.</summary>
    public required string Location { get; init; }

    /// <summary>The version of the store's schema, as the store records it; <see langword="null"/> for a store without one (in memory).</summary>
    public int? SchemaVersion { get; init; }

    /// <summary>The number of streams that exist (deleted ones excluded).</summary>
    public long Streams { get; init; }

    /// <summary>The number of events stored (truncated and deleted ones excluded).</summary>
    public long Events { get; init; }

    /// <summary>The highest position ever assigned, also when its event was since removed; 0 for an empty store.</summary>
    public long HeadPosition { get; init; }

    /// <summary>The number of streams with a snapshot.</summary>
    public long Snapshots { get; init; }

    /// <summary>The number of keys with durable state.</summary>
    public long States { get; init; }

    /// <summary>The number of consumers with a checkpoint.</summary>
    public long Checkpoints { get; init; }

    /// <summary>The number of messages in all queues, due or not.</summary>
    public long QueueMessages { get; init; }

    /// <summary>
    /// The space the store takes, in bytes: a SQLite file with its write-ahead log, or a PostgreSQL schema's tables with
    /// their indexes and TOAST; <see langword="null"/> for a store that does not measure it (in memory).
    /// </summary>
    public long? SizeBytes { get; init; }

    /// <summary>The tables holding the store, by what they hold (<c>events</c>, <c>streams</c>, <c>snapshots</c>, <c>states</c>, <c>checkpoints</c>, <c>queue_messages</c>, …), schema-qualified on PostgreSQL; empty for a store without tables.</summary>
    public IReadOnlyDictionary<string, string> Tables { get; init; } = new Dictionary<string, string>();
}
