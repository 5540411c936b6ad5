namespace Annals.Storage;

/// <summary>
/// What a store can commit atomically in one batch, and how it keeps what it commits. The SQL and in-memory stores
/// commit any batch (<see cref="Complete"/>); a store over a log without multi-message transactions, such as NATS
/// JetStream before 2.12, commits one stream's events or one record at a time and says so here. The layers above read it
/// to choose how they write (a snapshot after its events rather than with them), and a store refuses a batch wider than
/// it can commit with <see cref="BatchNotAtomicException"/> before it writes anything.
/// </summary>
public sealed record StoreCapabilities
{
    /// <summary>A store that commits any batch atomically and syncs each commit to disk before it returns.</summary>
    public static StoreCapabilities Complete { get; } = new();

    /// <summary>Whether one batch may append to, truncate or delete several streams.</summary>
    public bool AtomicAcrossStreams { get; init; } = true;

    /// <summary>
    /// Whether one batch may hold events (or an append condition) together with records: snapshots, durable states,
    /// checkpoints or queue messages.
    /// </summary>
    public bool AtomicEventsWithRecords { get; init; } = true;

    /// <summary>Whether one batch may hold several records (snapshots, durable states, checkpoints, queue messages).</summary>
    public bool AtomicAcrossRecords { get; init; } = true;

    /// <summary>
    /// Whether a batch may run SQL work (<see cref="CommitBatch.ExecuteSql"/>) in the commit's transaction. A store
    /// without it refuses such a batch with <see cref="InvalidBatchException"/>.
    /// </summary>
    public bool SqlWork { get; init; } = true;

    /// <summary>
    /// Whether a commit is synced to disk before it returns, so that it survives the machine losing power as well as
    /// the store's process being killed.
    /// </summary>
    public bool SyncedOnCommit { get; init; } = true;

    /// <summary>
    /// Whether positions are consecutive, 1, 2, 3…, so that the events after a position number the head minus it. On a
    /// store without it positions still strictly increase in commit order, with gaps between them.
    /// </summary>
    public bool DensePositions { get; init; } = true;

    /// <summary>Why the store has the limits it has, for people reading a refusal or a status page; empty when it has none.</summary>
    public string Notes { get; init; } = string.Empty;

    /// <summary>Whether the store commits a batch atomically.</summary>
    /// <param name="batch">The batch.</param>
    /// <returns><see langword="true"/> when it does; otherwise, <see cref="WhyNotAtomic"/> says why not.</returns>
    public bool CanCommit(CommitBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WhyNotAtomic(batch.Operations) is null;
    }

    /// <summary>Why the store cannot commit these operations atomically, or <see langword="null"/> when it can.</summary>
    /// <param name="operations">A batch's operations.</param>
    /// <returns>The reason, naming what the batch holds and what the store can commit at once.</returns>
    public string? WhyNotAtomic(IReadOnlyList<BatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (this == Complete)
        {
            return null;
        }

        HashSet<StreamName>? streams = null;
        var records = 0;
        var conditions = 0;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendOperation append:
                    (streams ??= []).Add(append.Stream);
                    break;
                case TruncateStreamOperation truncate:
                    (streams ??= []).Add(truncate.Stream);
                    break;
                case DeleteStreamOperation delete:
                    (streams ??= []).Add(delete.Stream);
                    break;
                case AppendConditionOperation:
                    conditions++;
                    break;
                case SqlWorkOperation:
                    // Whether the store can run it at all is its own check (SqlWork), made with the work's own error.
                    break;
                default:
                    records++;
                    break;
            }
        }

        var streamCount = streams?.Count ?? 0;
        if (streamCount > 1 && !AtomicAcrossStreams)
        {
            return $"the batch writes {streamCount} streams, and this store commits one stream's events at a time";
        }

        if (records > 0 && (streamCount > 0 || conditions > 0) && !AtomicEventsWithRecords)
        {
            return "the batch holds events or an append condition together with snapshots, states, checkpoints or queue messages, and this store commits those apart";
        }

        if (records > 1 && !AtomicAcrossRecords)
        {
            return $"the batch holds {records} snapshots, states, checkpoints or queue messages, and this store commits one at a time";
        }

        return null;
    }
}
