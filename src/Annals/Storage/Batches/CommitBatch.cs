namespace Annals.Storage;

/// <summary>
/// Operations to commit together: all take effect, or none does. Built fluently and committed with
/// <see cref="IEventWriter.CommitAsync"/>.
/// </summary>
/// <example>
/// <code>
/// var batch = new CommitBatch()
///     .Append(from, ExpectedRevision.Exact(4), withdrawn)
///     .Append(to, ExpectedRevision.Any, deposited)
///     .SaveCheckpoint("transfers", position, expectedPosition: previous);
/// await store.CommitAsync(batch, ct);
/// </code>
/// </example>
public sealed class CommitBatch
{
    private readonly List<BatchOperation> _operations = [];

    /// <summary>The operations, in the order added.</summary>
    public IReadOnlyList<BatchOperation> Operations => _operations;

    /// <summary>Adds an operation.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>This batch.</returns>
    public CommitBatch Add(BatchOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _operations.Add(operation);
        return this;
    }

    /// <summary>Appends events to a stream that meets the expectation.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before the append.</param>
    /// <param name="events">The events, at least one.</param>
    /// <returns>This batch.</returns>
    public CommitBatch Append(StreamName stream, ExpectedRevision expected, params IEnumerable<EventData> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return Add(new AppendOperation(stream, expected, events as IReadOnlyList<EventData> ?? [.. events]));
    }

    /// <summary>Fails the batch if an event matching <paramref name="filter"/> was committed after <paramref name="afterPosition"/>.</summary>
    /// <param name="filter">The events the decision was based on.</param>
    /// <param name="afterPosition">The position up to which they were read.</param>
    /// <returns>This batch.</returns>
    public CommitBatch RequireNoneAfter(EventFilter filter, long afterPosition) => Add(new AppendConditionOperation(filter, afterPosition));

    /// <summary>Saves a stream's snapshot.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="revision">The revision of the last event folded into it.</param>
    /// <param name="type">The snapshot's type name.</param>
    /// <param name="data">The serialized state.</param>
    /// <returns>This batch.</returns>
    public CommitBatch SaveSnapshot(StreamName stream, long revision, string type, ReadOnlyMemory<byte> data) =>
        Add(new SaveSnapshotOperation(stream, revision, type, data));

    /// <summary>Deletes a stream's snapshot.</summary>
    /// <param name="stream">The stream.</param>
    /// <returns>This batch.</returns>
    public CommitBatch DeleteSnapshot(StreamName stream) => Add(new DeleteSnapshotOperation(stream));

    /// <summary>Saves a key's durable state at the stored version + 1.</summary>
    /// <param name="key">The key.</param>
    /// <param name="version">The new version.</param>
    /// <param name="type">The state's type name.</param>
    /// <param name="data">The serialized state.</param>
    /// <returns>This batch.</returns>
    public CommitBatch SaveState(StreamName key, long version, string type, ReadOnlyMemory<byte> data) =>
        Add(new SaveStateOperation(key, version, type, data));

    /// <summary>Deletes a key's durable state at the expected version.</summary>
    /// <param name="key">The key.</param>
    /// <param name="expectedVersion">The stored version.</param>
    /// <returns>This batch.</returns>
    public CommitBatch DeleteState(StreamName key, long expectedVersion) => Add(new DeleteStateOperation(key, expectedVersion));

    /// <summary>Saves a consumer's checkpoint.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="position">The position processed up to.</param>
    /// <param name="expectedPosition">The stored position, or <see langword="null"/> when none is stored yet.</param>
    /// <returns>This batch.</returns>
    public CommitBatch SaveCheckpoint(string consumer, long position, long? expectedPosition) =>
        Add(new SaveCheckpointOperation(consumer, position, expectedPosition));

    /// <summary>
    /// Runs SQL of the caller's inside the commit's transaction, so that its writes (a read model's rows, say)
    /// are stored if and only if the rest of the batch is: a projection keeping its read model in the store's
    /// own database commits the model's rows with its checkpoint, exactly once.
    /// </summary>
    /// <param name="work">
    /// The work: runs its commands on <see cref="SqlWorkContext.Connection"/> within
    /// <see cref="SqlWorkContext.Transaction"/>, and is given the commit's cancellation token.
    /// </param>
    /// <returns>This batch.</returns>
    /// <remarks>
    /// <para>
    /// The work runs inside the commit's transaction, as one of the batch's operations; a batch may hold several
    /// works, which run in the order added. What a work reads of the store's own tables may or may not include the
    /// writes of its batch and of other batches committed in the same transaction, which differs between stores:
    /// a work should read and write only its own tables.
    /// </para>
    /// <para>
    /// If the work throws, the commit fails with <see cref="SqlWorkFailedException"/>, whose
    /// <see cref="Exception.InnerException"/> is what the work threw, and nothing of the batch is stored; other
    /// batches the store commits in the same transaction still commit. A work that throws
    /// <see cref="OperationCanceledException"/> because the commit's token was cancelled cancels the commit instead.
    /// Works run after every other check of the batch: if any other operation fails (a wrong expected revision, a
    /// checkpoint conflict…), the batch fails with that error and the work does not run. A batch committed again
    /// whose events are stored already (a retry after its outcome was lost) is a replay, and its works do not run again.
    /// </para>
    /// <para>
    /// The work may run more than once for one commit, because a store may run a group of batches it commits in
    /// one transaction again: SQLite does when one of the group's batches fails, then with a savepoint per batch;
    /// PostgreSQL does when the connection was lost before the group committed. Only the run that commits leaves
    /// its effects, so the work must touch nothing but the database: no messages sent, no in-memory state
    /// changed. It must not commit, roll back or release a transaction or savepoint it did not begin, and must
    /// dispose its commands and readers before it completes.
    /// </para>
    /// <para>
    /// The store's writer waits for the work, and so do the commits grouped with it: keep it short. On SQLite the
    /// work runs on the store's writer thread, which blocks on the returned <see cref="ValueTask"/>: it must wait on
    /// nothing but its own SQL (Microsoft.Data.Sqlite's asynchronous methods complete synchronously), never on
    /// another commit or read of the same store. The in-memory store has no database and rejects the batch with
    /// <see cref="InvalidBatchException"/>.
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// var batch = new CommitBatch()
    ///     .ExecuteSql(async (sql, ct) =>
    ///     {
    ///         await using var command = sql.CreateCommand("UPDATE order_totals SET total = total + 1 WHERE day = @day", ("@day", "2024-05-01"));
    ///         await command.ExecuteNonQueryAsync(ct);
    ///     })
    ///     .SaveCheckpoint("order-totals", position, expectedPosition: previous);
    /// await store.CommitAsync(batch, ct);
    /// </code>
    /// </example>
    public CommitBatch ExecuteSql(Func<SqlWorkContext, CancellationToken, ValueTask> work) => Add(new SqlWorkOperation(work));

    /// <summary>Adds a message to a queue.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="type">The message's type name.</param>
    /// <param name="data">The message's data.</param>
    /// <param name="dueAt">When it is due.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>This batch.</returns>
    public CommitBatch Enqueue(string queue, Guid messageId, string type, ReadOnlyMemory<byte> data, DateTimeOffset dueAt, IReadOnlyDictionary<string, string>? metadata = null) =>
        Add(new EnqueueOperation(queue, messageId, type, data, dueAt, metadata));

    /// <summary>Moves a queued message to a new due time.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="expectedRevision">The message's stored revision.</param>
    /// <param name="dueAt">The next attempt's time.</param>
    /// <param name="failureCount">The number of failed attempts so far.</param>
    /// <param name="lastError">The last attempt's error, if it failed.</param>
    /// <returns>This batch.</returns>
    public CommitBatch Reschedule(string queue, Guid messageId, long expectedRevision, DateTimeOffset dueAt, int failureCount, string? lastError = null) =>
        Add(new RescheduleOperation(queue, messageId, expectedRevision, dueAt, failureCount, lastError));

    /// <summary>Removes a message from a queue.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="expectedRevision">The message's stored revision.</param>
    /// <returns>This batch.</returns>
    public CommitBatch RemoveMessage(string queue, Guid messageId, long expectedRevision) =>
        Add(new RemoveMessageOperation(queue, messageId, expectedRevision));

    /// <summary>Removes a stream's events before a revision.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="beforeRevision">Events with a lower revision are removed.</param>
    /// <param name="expected">What the stream must be; <see cref="ExpectedRevision.Any"/> when omitted.</param>
    /// <returns>This batch.</returns>
    public CommitBatch TruncateStream(StreamName stream, long beforeRevision, ExpectedRevision? expected = null) =>
        Add(new TruncateStreamOperation(stream, beforeRevision, expected ?? ExpectedRevision.Any));

    /// <summary>Deletes a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be; <see cref="ExpectedRevision.Any"/> when omitted.</param>
    /// <returns>This batch.</returns>
    public CommitBatch DeleteStream(StreamName stream, ExpectedRevision? expected = null) =>
        Add(new DeleteStreamOperation(stream, expected ?? ExpectedRevision.Any));
}
