using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Guarantee 1, atomic commits (the in-process part): a batch mixing every kind of operation takes
/// effect entirely, or, when any one expectation fails wherever it sits in the batch, not at all.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class AtomicityConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private const string Checkpoint = "atom/checkpoint";
    private const string FailingCheckpoint = "atom/failing";
    private const string Queue = "atom-queue";

    private static readonly DateTimeOffset Due = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly StreamName A = S("atom-a.1");
    private static readonly StreamName B = S("atom-b.1");
    private static readonly StreamName Created = S("atom-new.1");
    private static readonly StreamName Truncated = S("atom-trunc.1");
    private static readonly StreamName Deleted = S("atom-del.1");
    private static readonly StreamName Snapshotted = S("atom-snap.1");
    private static readonly StreamName Failing = S("atom-fail.1");
    private static readonly StreamName FailingSnapshot = S("atom-snapfail.1");
    private static readonly StreamName Missing = S("atom-missing.1");
    private static readonly StreamName Duplicate = S("atom-dup.1");
    private static readonly StreamName State = S("atom-state.1");
    private static readonly StreamName RemovedState = S("atom-state.2");
    private static readonly StreamName FailingState = S("atom-failstate.1");
    private static readonly StreamName[] AllStreams = [A, B, Created, Truncated, Deleted, Snapshotted, Failing, FailingSnapshot, Missing, Duplicate];

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected AtomicityConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Every kind of failing operation, each placed first, in the middle and last of a mixed batch.</summary>
    public static TheoryData<string, string> FailingOperations
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var failure in FailureKinds)
            {
                foreach (var placement in new[] { "first", "middle", "last" })
                {
                    data.Add(failure, placement);
                }
            }

            return data;
        }
    }

    private static string[] FailureKinds =>
    [
        "append-exact", "append-no-stream", "append-stream-exists", "append-condition", "duplicate-event-id",
        "snapshot-beyond-stream", "snapshot-not-newer", "save-state", "delete-state", "checkpoint", "checkpoint-none-expected",
        "enqueue-existing", "reschedule", "remove-missing", "truncate", "delete-stream",
    ];

    /// <summary>A batch with one failing operation, wherever it is, stores nothing at all and throws that operation's error.</summary>
    /// <param name="failure">Which operation fails.</param>
    /// <param name="placement">Where it sits in the batch: first, middle or last.</param>
    [Theory]
    [MemberData(nameof(FailingOperations))]
    public async Task Commit_fails_whole_batch_when_one_expectation_fails(string failure, string placement)
    {
        await using var store = await NewStoreAsync();
        var seed = await SeedAsync(store);
        var before = await FingerprintAllAsync(store);
        var good = GoodOperations(seed);
        var (failing, check) = Failure(failure, seed);
        var operations = new List<BatchOperation>(good);
        operations.Insert(placement switch { "first" => 0, "middle" => good.Count / 2, _ => good.Count }, failing);
        var batch = new CommitBatch();
        operations.ForEach(o => batch.Add(o));
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Equal(before, await FingerprintAllAsync(store));
            return;
        }

        var error = await Assert.ThrowsAnyAsync<AnnalsException>(async () => await store.CommitAsync(batch));

        check(error);
        Assert.Equal(before, await FingerprintAllAsync(store));

        // Without the failing operation the same batch is valid: the failure alone rejected it,
        // and the rejected attempt left nothing behind that blocks it.
        var retry = new CommitBatch();
        good.ForEach(o => retry.Add(o));
        var result = await store.CommitAsync(retry);
        Assert.Equal(3, result.Appends.Count);
        await AssertGoodOperationsTookEffectAsync(store, seed, result);
    }

    /// <summary>A batch mixing appends to several streams, snapshots, state, checkpoint, queue, truncate and delete takes effect entirely.</summary>
    [Fact]
    public async Task Mixed_batch_takes_effect_entirely()
    {
        await using var store = await NewStoreAsync();
        var seed = await SeedAsync(store);
        var batch = new CommitBatch();
        GoodOperations(seed).ForEach(o => batch.Add(o));
        var before = await FingerprintAllAsync(store);
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Equal(before, await FingerprintAllAsync(store));
            return;
        }

        var result = await store.CommitAsync(batch);

        await AssertGoodOperationsTookEffectAsync(store, seed, result);
    }

    /// <summary>A commit's result has one append result per append, in the batch's order, matching what was stored.</summary>
    [Fact]
    public async Task Commit_result_has_one_append_result_per_append_in_batch_order()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("mid.1"), ExpectedRevision.NoStream, NewEvents(4));
        var head = await store.GetHeadPositionAsync();
        StreamName[] order = [S("zeta.1"), S("alpha.1"), S("mid.1")];
        EventData[][] events = [NewEvents(3), NewEvents(1), NewEvents(2)];

        var batch = new CommitBatch()
            .SaveCheckpoint("order", 1, null)
            .Append(order[0], ExpectedRevision.NoStream, events[0])
            .Append(order[1], ExpectedRevision.Any, events[1])
            .SaveState(S("order-state.1"), 1, "State", new byte[] { 1 })
            .Append(order[2], ExpectedRevision.Exact(3), events[2]);
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            return;
        }

        var result = await store.CommitAsync(batch);

        Assert.Equal(order, result.Appends.Select(a => a.Stream));
        Assert.Equal([(0L, 2L), (0L, 0L), (4L, 5L)], result.Appends.Select(a => (a.FirstRevision, a.LastRevision)));
        Assert.Equal(result.Appends.Max(a => a.LastPosition), result.LastPosition);
        Assert.Equal(result.LastPosition, await store.GetHeadPositionAsync());

        var claimed = new List<long>();
        for (var i = 0; i < order.Length; i++)
        {
            var append = result.Appends[i];
            Assert.True(append.FirstPosition > head, $"append {i} starts at {append.FirstPosition}, not after the previous head {head}");
            var stored = await store.ReadStreamAsync(order[i], fromRevision: append.FirstRevision).ToListAsync();
            Assert.Equal(events[i].Select(e => e.EventId), stored.Select(e => e.EventId));
            Assert.Equal(append.FirstPosition, stored[0].Position);
            Assert.Equal(append.LastPosition, stored[^1].Position);
            claimed.AddRange(stored.Select(e => e.Position));
        }

        var logged = (await store.ReadAllAsync(afterPosition: head).ToListAsync()).Select(e => e.Position);
        Assert.Equal(claimed.Order(), logged);
    }

    /// <summary>A batch with no append returns no append result and leaves the head where it was.</summary>
    [Fact]
    public async Task Commit_without_appends_returns_no_append_results()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvents(2));
        var head = await store.GetHeadPositionAsync();

        var batch = new CommitBatch()
            .SaveCheckpoint("only-records", 2, null)
            .SaveState(S("state.1"), 1, "State", new byte[] { 7 })
            .SaveSnapshot(S("account.1"), 1, "Snap", new byte[] { 8 });
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Null(await store.ReadCheckpointAsync("only-records"));
            Assert.Null(await store.ReadStateAsync(S("state.1")));
            Assert.Null(await store.ReadSnapshotAsync(S("account.1")));
            return;
        }

        var result = await store.CommitAsync(batch);

        Assert.Empty(result.Appends);
        Assert.Null(result.LastPosition);
        Assert.Equal(head, await store.GetHeadPositionAsync());
        Assert.Equal(2, await store.ReadCheckpointAsync("only-records"));
        Assert.Equal(1, (await store.ReadStateAsync(S("state.1")))?.Version);
        Assert.Equal(1, (await store.ReadSnapshotAsync(S("account.1")))?.Revision);
    }

    /// <summary>Rejected batches of every kind, one after another, change nothing, and a valid batch after them is stored after the old head.</summary>
    [Fact]
    public async Task Rejected_batches_leave_no_trace_for_later_commits()
    {
        await using var store = await NewStoreAsync();
        var seed = await SeedAsync(store);
        var before = await FingerprintAllAsync(store);
        var head = await store.GetHeadPositionAsync();

        foreach (var failure in FailureKinds)
        {
            var batch = new CommitBatch();
            GoodOperations(seed).ForEach(o => batch.Add(o));
            batch.Add(Failure(failure, seed).Operation);
            await Assert.ThrowsAnyAsync<AnnalsException>(async () => await store.CommitAsync(batch));
        }

        Assert.Equal(before, await FingerprintAllAsync(store));
        var result = await store.AppendAsync(Created, ExpectedRevision.NoStream, NewEvents(2));
        Assert.Equal(0, result.FirstRevision);
        Assert.True(result.FirstPosition > head);
        var log = await store.ReadAllAsync(afterPosition: head).ToListAsync();
        Assert.Equal(2, log.Count);
        Assert.All(log, e => Assert.Equal(Created, e.Stream));
    }

    private static async Task<string> FingerprintAllAsync(IEventStore store) =>
        await FingerprintAsync(store, AllStreams, [State, RemovedState, FailingState], [Checkpoint, FailingCheckpoint], [Queue]).ConfigureAwait(false);

    private static async Task<Seed> SeedAsync(IEventStore store)
    {
        var aEvents = NewEvents(2);
        var seeded = await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(A, ExpectedRevision.NoStream, aEvents)
            .Append(B, ExpectedRevision.NoStream, NewEvents(1))
            .Append(Truncated, ExpectedRevision.NoStream, NewEvents(3))
            .Append(Deleted, ExpectedRevision.NoStream, NewEvents(1))
            .Append(Snapshotted, ExpectedRevision.NoStream, NewEvents(2))
            .Append(FailingSnapshot, ExpectedRevision.NoStream, NewEvents(2))).ConfigureAwait(false);
        var failing = await store.AppendAsync(Failing, ExpectedRevision.NoStream, NewEvent()).ConfigureAwait(false);

        var rescheduled = Guid.NewGuid();
        var removed = Guid.NewGuid();
        var conflicting = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .SaveSnapshot(Deleted, 0, "DelSnap", Text("del"))
            .SaveSnapshot(Snapshotted, 0, "SnapSnap", Text("snap"))
            .SaveSnapshot(FailingSnapshot, 1, "FailSnap", Text("failsnap"))
            .SaveState(State, 1, "State", Text("state-1"))
            .SaveState(RemovedState, 1, "State", Text("removed-1"))
            .SaveState(FailingState, 1, "State", Text("failing-1"))
            .SaveCheckpoint(Checkpoint, 3, null)
            .SaveCheckpoint(FailingCheckpoint, 7, null)
            .Enqueue(Queue, rescheduled, "Msg", Text("m1"), Due)
            .Enqueue(Queue, removed, "Msg", Text("m2"), Due.AddMinutes(1))
            .Enqueue(Queue, conflicting, "Msg", Text("mf"), Due.AddMinutes(2))).ConfigureAwait(false);

        return new Seed(aEvents, seeded.Appends[0].LastPosition, failing.LastPosition, rescheduled, removed, conflicting);
    }

    private static List<BatchOperation> GoodOperations(Seed seed) =>
    [
        new AppendOperation(A, ExpectedRevision.Exact(1), NewEvents(2)),
        new SaveStateOperation(State, 2, "State", Text("state-2")),
        new AppendOperation(B, ExpectedRevision.Any, NewEvents(1)),
        new SaveCheckpointOperation(Checkpoint, 10, 3),
        new EnqueueOperation(Queue, seed.Enqueued, "Msg", Text("new"), Due.AddMinutes(3)),
        new AppendOperation(Created, ExpectedRevision.NoStream, NewEvents(3)),
        new SaveSnapshotOperation(A, 3, "ASnap", Text("a-snap")),
        new RescheduleOperation(Queue, seed.Rescheduled, 0, Due.AddHours(1), 1, "boom"),
        new RemoveMessageOperation(Queue, seed.Removed, 0),
        new TruncateStreamOperation(Truncated, 2, ExpectedRevision.Exact(2)),
        new DeleteStreamOperation(Deleted, ExpectedRevision.Exact(0)),
        new DeleteSnapshotOperation(Snapshotted),
        new DeleteStateOperation(RemovedState, 1),

        // Checks see the store before the batch, so the append to A above does not break this one.
        new AppendConditionOperation(EventFilter.ForStreams(A), seed.ALastPosition),
    ];

    private static (BatchOperation Operation, Action<Exception> Check) Failure(string kind, Seed seed) => kind switch
    {
        "append-exact" => (
            new AppendOperation(Failing, ExpectedRevision.Exact(5), [NewEvent()]),
            e => AssertWrongRevision(e, Failing, ExpectedRevision.Exact(5), 0)),
        "append-no-stream" => (
            new AppendOperation(Failing, ExpectedRevision.NoStream, [NewEvent()]),
            e => AssertWrongRevision(e, Failing, ExpectedRevision.NoStream, 0)),
        "append-stream-exists" => (
            new AppendOperation(Missing, ExpectedRevision.StreamExists, [NewEvent()]),
            e => AssertWrongRevision(e, Missing, ExpectedRevision.StreamExists, null)),
        "append-condition" => (
            new AppendConditionOperation(EventFilter.ForStreams(Failing), 0),
            e =>
            {
                var error = Assert.IsType<AppendConditionFailedException>(e);
                Assert.Equal(0, error.AfterPosition);
                Assert.Equal(seed.FailingPosition, error.ConflictingPosition);
            }),
        "duplicate-event-id" => (
            new AppendOperation(Duplicate, ExpectedRevision.Any, [NewEvent(), seed.AEvents[1]]),
            e =>
            {
                var error = Assert.IsType<DuplicateEventIdException>(e);
                Assert.Equal(seed.AEvents[1].EventId, error.EventId);
                Assert.Equal(Duplicate, error.Stream);
                Assert.Equal(A, error.ExistingStream);
                Assert.Equal(1, error.ExistingRevision);
            }),
        "snapshot-beyond-stream" => (
            new SaveSnapshotOperation(Failing, 5, "Snap", Text("x")),
            e =>
            {
                var error = Assert.IsType<SnapshotConflictException>(e);
                Assert.Equal((Failing, 5L, (long?)0), (error.Stream, error.Revision, error.StreamRevision));
            }),
        "snapshot-not-newer" => (
            new SaveSnapshotOperation(FailingSnapshot, 1, "Snap", Text("x")),
            e =>
            {
                var error = Assert.IsType<SnapshotConflictException>(e);
                Assert.Equal((FailingSnapshot, 1L, (long?)1), (error.Stream, error.Revision, error.StoredRevision));
            }),
        "save-state" => (
            new SaveStateOperation(FailingState, 1, "State", Text("x")),
            e => AssertWrongVersion(e, expected: 0, actual: 1)),
        "delete-state" => (
            new DeleteStateOperation(FailingState, 2),
            e => AssertWrongVersion(e, expected: 2, actual: 1)),
        "checkpoint" => (
            new SaveCheckpointOperation(FailingCheckpoint, 9, 6),
            e => AssertCheckpointConflict(e, expected: 6, actual: 7)),
        "checkpoint-none-expected" => (
            new SaveCheckpointOperation(FailingCheckpoint, 9, null),
            e => AssertCheckpointConflict(e, expected: null, actual: 7)),
        "enqueue-existing" => (
            new EnqueueOperation(Queue, seed.Conflicting, "Msg", Text("again"), Due),
            e => AssertQueueConflict(e, seed.Conflicting, expected: null, actual: 0)),
        "reschedule" => (
            new RescheduleOperation(Queue, seed.Conflicting, 3, Due, 1, null),
            e => AssertQueueConflict(e, seed.Conflicting, expected: 3, actual: 0)),
        "remove-missing" => (
            new RemoveMessageOperation(Queue, seed.Unknown, 0),
            e => AssertQueueConflict(e, seed.Unknown, expected: 0, actual: null)),
        "truncate" => (
            new TruncateStreamOperation(Failing, 1, ExpectedRevision.Exact(4)),
            e => AssertWrongRevision(e, Failing, ExpectedRevision.Exact(4), 0)),
        "delete-stream" => (
            new DeleteStreamOperation(Failing, ExpectedRevision.NoStream),
            e => AssertWrongRevision(e, Failing, ExpectedRevision.NoStream, 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown failure"),
    };

    private static async Task AssertGoodOperationsTookEffectAsync(IEventStore store, Seed seed, CommitResult result)
    {
        Assert.Equal([A, B, Created], result.Appends.Select(a => a.Stream));
        Assert.Equal([(2L, 3L), (1L, 1L), (0L, 2L)], result.Appends.Select(a => (a.FirstRevision, a.LastRevision)));
        Assert.All(result.Appends, a => Assert.True(a.FirstPosition > seed.FailingPosition));

        Assert.Equal(4, (await ReadStreamAsync(store, A).ConfigureAwait(false)).Count);
        Assert.Equal(2, (await ReadStreamAsync(store, B).ConfigureAwait(false)).Count);
        Assert.Equal([0L, 1L, 2L], (await ReadStreamAsync(store, Created).ConfigureAwait(false)).Select(e => e.Revision));

        var snapshot = await store.ReadSnapshotAsync(A).ConfigureAwait(false);
        Assert.NotNull(snapshot);
        Assert.Equal((3L, "ASnap"), (snapshot.Revision, snapshot.Type));
        Assert.Null(await store.ReadSnapshotAsync(Snapshotted).ConfigureAwait(false));
        Assert.Null(await store.ReadSnapshotAsync(Deleted).ConfigureAwait(false));

        var state = await store.ReadStateAsync(State).ConfigureAwait(false);
        Assert.NotNull(state);
        Assert.Equal(2, state.Version);
        Assert.Equal("state-2", Encoding.UTF8.GetString(state.Data.Span));
        Assert.Null(await store.ReadStateAsync(RemovedState).ConfigureAwait(false));
        Assert.Equal(10, await store.ReadCheckpointAsync(Checkpoint).ConfigureAwait(false));

        var messages = (await store.ReadDueMessagesAsync(Queue, DateTimeOffset.MaxValue).ConfigureAwait(false)).ToDictionary(m => m.MessageId);
        Assert.Equal(3, messages.Count);
        Assert.Equal(0, messages[seed.Enqueued].Revision);
        Assert.Equal((1L, 1, "boom", Due.AddHours(1)), (messages[seed.Rescheduled].Revision, messages[seed.Rescheduled].FailureCount, messages[seed.Rescheduled].LastError, messages[seed.Rescheduled].DueAt));
        Assert.False(messages.ContainsKey(seed.Removed));

        Assert.Equal([2L], (await ReadStreamAsync(store, Truncated).ConfigureAwait(false)).Select(e => e.Revision));
        Assert.Equal(2, (await store.GetStreamInfoAsync(Truncated).ConfigureAwait(false))?.FirstRevision);
        Assert.Null(await store.GetStreamInfoAsync(Deleted).ConfigureAwait(false));
        Assert.Empty(await ReadStreamAsync(store, Deleted).ConfigureAwait(false));

        var log = await ReadAllAsync(store).ConfigureAwait(false);
        Assert.DoesNotContain(log, e => e.Stream == Deleted || (e.Stream == Truncated && e.Revision < 2));
        Assert.Equal(result.LastPosition, await store.GetHeadPositionAsync().ConfigureAwait(false));
    }

    private static void AssertWrongRevision(Exception e, StreamName stream, ExpectedRevision expected, long? actual)
    {
        var error = Assert.IsType<WrongExpectedRevisionException>(e);
        Assert.Equal(stream, error.Stream);
        Assert.Equal(expected, error.Expected);
        Assert.Equal(actual, error.Actual);
    }

    private static void AssertWrongVersion(Exception e, long expected, long actual)
    {
        var error = Assert.IsType<WrongExpectedVersionException>(e);
        Assert.Equal((FailingState, expected, actual), (error.Key, error.Expected, error.Actual));
    }

    private static void AssertCheckpointConflict(Exception e, long? expected, long? actual)
    {
        var error = Assert.IsType<CheckpointConflictException>(e);
        Assert.Equal((FailingCheckpoint, expected, actual), (error.Consumer, error.Expected, error.Actual));
    }

    private static void AssertQueueConflict(Exception e, Guid messageId, long? expected, long? actual)
    {
        var error = Assert.IsType<QueueMessageConflictException>(e);
        Assert.Equal((Queue, messageId, expected, actual), (error.Queue, error.MessageId, error.Expected, error.Actual));
    }

    private sealed record Seed(EventData[] AEvents, long ALastPosition, long FailingPosition, Guid Rescheduled, Guid Removed, Guid Conflicting)
    {
        public Guid Enqueued { get; } = Guid.NewGuid();

        public Guid Unknown { get; } = Guid.NewGuid();
    }
}
