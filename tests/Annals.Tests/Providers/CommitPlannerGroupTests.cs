using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

public sealed class CommitPlannerGroupTests
{
    private const string Queue = "timeouts";
    private static readonly StreamName A = Stream("a");
    private static readonly StreamName B = Stream("b");
    private static readonly StreamName C = Stream("c");
    private static readonly StreamName Key = Stream("state");
    private static readonly Guid Stored = Guid.NewGuid();
    private static readonly Guid Handled = Guid.NewGuid();

    /// <summary>What the store holds for the group: streams, a snapshot, a state, a checkpoint and two messages.</summary>
    private static StoredState Loaded() => State(head: 20, fill: s =>
    {
        s.QueueSequence = 7;
        s.Streams[A] = new StreamHead(0, 4, 18, false);
        s.Streams[B] = new StreamHead(0, 2, 20, false);
        s.SnapshotRevisions[B] = 1;
        s.StateVersions[Key] = 2;
        s.Checkpoints["projector"] = 15;
        s.MessageRevisions[new MessageKey(Queue, Stored)] = 0;
        s.MessageRevisions[new MessageKey(Queue, Handled)] = 1;
    });

    private static CommitBatch First() => new CommitBatch()
        .Append(A, ExpectedRevision.Exact(4), Event(), Event())
        .SaveCheckpoint("projector", 18, 15);

    /// <summary>Touches every kind of item, and fails on its last operation: all of it must be undone.</summary>
    private static CommitBatch Failing() => new CommitBatch()
        .Append(A, ExpectedRevision.Exact(6), Event())
        .Append(C, ExpectedRevision.NoStream, Event(), Event())
        .DeleteStream(B)
        .TruncateStream(Stream("missing"), 3)
        .DeleteSnapshot(A)
        .SaveState(Key, 3, "Cart", new byte[] { 1 })
        .SaveCheckpoint("other", 1, null)
        .Enqueue(Queue, Guid.NewGuid(), "Timeout", new byte[] { 1 }, Now)
        .Reschedule(Queue, Stored, 0, Now, 1, "boom")
        .RemoveMessage(Queue, Handled, 0);

    private static CommitBatch Third() => new CommitBatch()
        .Append(A, ExpectedRevision.Exact(6), Event())
        .Append(C, ExpectedRevision.NoStream, Event())
        .SaveState(Key, 3, "Cart", new byte[] { 2 })
        .Enqueue(Queue, Guid.NewGuid(), "Timeout", new byte[] { 1 }, Now)
        .SaveSnapshot(B, 2, "Account", new byte[] { 3 });

    [Fact]
    public void A_failing_batch_between_two_others_leaves_their_writes_as_if_it_had_not_been_there()
    {
        var first = First();
        var third = Third();
        var alone = Planner(Loaded());
        var alongside = Planner(Loaded());

        var firstAlone = alone.Succeeds(first);
        var thirdAlone = alone.Succeeds(third);
        var firstAlongside = alongside.Succeeds(first);
        var error = alongside.Fails<QueueMessageConflictException>(Failing());
        var thirdAlongside = alongside.Succeeds(third);

        Assert.Equal((Handled, (long?)0, (long?)1), (error.MessageId, error.Expected, error.Actual));
        Assert.Equal(firstAlone, firstAlongside);
        Assert.Equal(thirdAlone, thirdAlongside);
        Assert.Equal([new AppendResult(A, 7, 7, 23, 23), new AppendResult(C, 0, 0, 24, 24)], thirdAlongside.Appends);
        Assert.Equal(Describe(alone.Writes), Describe(alongside.Writes));
        Assert.Equal(Describe(alone.State), Describe(alongside.State));
    }

    [Fact]
    public void A_batch_with_sql_work_is_decided_without_it_and_told_to_run_it()
    {
        var planner = Planner(Loaded());

        var decision = planner.Decide(Ops(First().ExecuteSql((_, _) => ValueTask.CompletedTask)));

        Assert.True(decision.Succeeded);
        Assert.True(decision.RunsSqlWork);
        Assert.False(decision.Replayed);
    }

    [Fact]
    public void A_replayed_batch_does_not_run_its_sql_work_again()
    {
        var planner = Planner(Loaded());
        var batch = new CommitBatch().Append(C, ExpectedRevision.NoStream, Event()).ExecuteSql((_, _) => ValueTask.CompletedTask);
        Assert.True(planner.Decide(Ops(batch)).RunsSqlWork);

        var replay = planner.Decide(Ops(batch));

        Assert.True(replay.Replayed);
        Assert.False(replay.RunsSqlWork);
    }

    [Fact]
    public void A_batch_whose_sql_work_failed_is_undone_and_its_neighbours_keep_their_writes()
    {
        var first = First();
        var third = Third();
        var alone = Planner(Loaded());
        alone.Succeeds(first);
        var thirdAlone = alone.Succeeds(third);
        var planner = Planner(Loaded());
        planner.Succeeds(first);

        // Would succeed but for its work: the store runs the work, which fails, and tells the planner.
        var withWork = Ops(new CommitBatch()
            .Append(A, ExpectedRevision.Exact(6), Event())
            .Append(C, ExpectedRevision.NoStream, Event(), Event())
            .DeleteStream(B)
            .DeleteSnapshot(A)
            .SaveState(Key, 3, "Cart", new byte[] { 1 })
            .Enqueue(Queue, Guid.NewGuid(), "Timeout", new byte[] { 1 }, Now)
            .Reschedule(Queue, Stored, 0, Now, 1, "boom")
            .RemoveMessage(Queue, Handled, 1)
            .ExecuteSql((_, _) => ValueTask.CompletedTask));
        var decision = planner.Decide(withWork);
        Assert.True(decision.RunsSqlWork);
        planner.UndoLast();
        var thirdAfter = planner.Succeeds(third);

        Assert.Equal(thirdAlone, thirdAfter);
        Assert.Equal(Describe(alone.Writes), Describe(planner.Writes));
        Assert.Equal(Describe(alone.State), Describe(planner.State));
    }

    [Fact]
    public void Undoing_after_a_failed_batch_forgets_nothing_else()
    {
        var planner = Planner(Loaded());
        planner.Succeeds(First());
        var before = Describe(planner.Writes);

        planner.Fails<QueueMessageConflictException>(Failing());
        planner.UndoLast();

        Assert.Equal(before, Describe(planner.Writes));
    }

    [Fact]
    public void A_group_that_truncates_its_own_events_and_fails_after_restores_them_in_position_order()
    {
        var planner = Planner(State(head: 0));
        planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.NoStream, Event(), Event()));
        planner.Succeeds(new CommitBatch().Append(B, ExpectedRevision.NoStream, Event()));
        var before = Describe(planner.Writes);
        var state = Describe(planner.State);

        planner.Fails<CheckpointConflictException>(new CommitBatch().TruncateStream(A, 2).Append(C, ExpectedRevision.Any, Event()).SaveCheckpoint("x", 1, 5));

        Assert.Equal(before, Describe(planner.Writes));
        Assert.Equal(state, Describe(planner.State));
        Assert.True(planner.CanDecide(Ops(new CommitBatch().RequireNoneAfter(EventFilter.All, 0).Append(C, ExpectedRevision.Any, Event()))));
    }
}
