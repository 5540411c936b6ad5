using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

public sealed class CommitPlannerStreamTests
{
    private static readonly StreamName A = Stream("a");
    private static readonly StreamName B = Stream("b");

    [Fact]
    public void A_truncate_cuts_the_stored_events_below_the_revision_and_moves_the_first_revision()
    {
        var planner = Planner(State(head: 50, fill: s => s.Streams[A] = new StreamHead(2, 9, 40, false)));

        var result = planner.Succeeds(new CommitBatch().TruncateStream(A, 5, ExpectedRevision.Exact(9)));

        Assert.Empty(result.Appends);
        Assert.Equal(5, planner.Writes.StoredEventCutoffs[A]);
        Assert.Equal(new StreamWrite(new StreamHead(5, 9, 40, false), AppendedOnly: false), planner.Writes.Streams[A]);
        Assert.False(planner.Writes.Appended);
    }

    [Fact]
    public void A_truncate_beyond_the_last_revision_removes_every_event_and_the_stream_still_exists()
    {
        var planner = Planner(State(head: 50, fill: s => s.Streams[A] = new StreamHead(0, 9, 40, false)));

        planner.Succeeds(new CommitBatch().TruncateStream(A, 100));

        Assert.Equal(10, planner.Writes.StoredEventCutoffs[A]);
        Assert.Equal(new StreamHead(10, 9, 40, false), planner.Writes.Streams[A].Head);
    }

    [Fact]
    public void A_truncate_below_the_first_stored_revision_changes_nothing()
    {
        var planner = Planner(State(head: 50, fill: s => s.Streams[A] = new StreamHead(6, 9, 40, false)));

        planner.Succeeds(new CommitBatch().TruncateStream(A, 4));

        Assert.Empty(planner.Writes.StoredEventCutoffs);
        Assert.Empty(planner.Writes.Streams);
    }

    [Fact]
    public void A_truncate_or_delete_of_a_missing_stream_with_any_does_nothing()
    {
        var planner = Planner(State(head: 3, fill: s => s.Streams[B] = new StreamHead(1, 0, 2, Deleted: true)));

        planner.Succeeds(new CommitBatch().TruncateStream(A, 4).DeleteStream(B));

        Assert.Empty(planner.Writes.StoredEventCutoffs);
        Assert.Empty(planner.Writes.Streams);
        Assert.Empty(planner.Writes.Snapshots);
    }

    [Fact]
    public void A_truncate_or_delete_checks_its_expectation()
    {
        var planner = Planner(State(head: 3, fill: s => s.Streams[A] = new StreamHead(0, 2, 3, false)));

        var truncate = planner.Fails<WrongExpectedRevisionException>(new CommitBatch().TruncateStream(A, 1, ExpectedRevision.Exact(1)));
        var delete = planner.Fails<WrongExpectedRevisionException>(new CommitBatch().DeleteStream(B, ExpectedRevision.StreamExists));

        Assert.Equal((A, ExpectedRevision.Exact(1), (long?)2), (truncate.Stream, truncate.Expected, truncate.Actual));
        Assert.Equal((B, ExpectedRevision.StreamExists, (long?)null), (delete.Stream, delete.Expected, delete.Actual));
    }

    [Fact]
    public void A_delete_removes_every_event_and_the_snapshot_and_the_stream_no_longer_exists()
    {
        var planner = Planner(State(head: 50, fill: s =>
        {
            s.Streams[A] = new StreamHead(2, 9, 40, false);
            s.SnapshotRevisions[A] = 6;
        }));

        planner.Succeeds(new CommitBatch().DeleteStream(A, ExpectedRevision.StreamExists));

        Assert.Equal(10, planner.Writes.StoredEventCutoffs[A]);
        Assert.Equal(new StreamHead(10, 9, 40, Deleted: true), planner.Writes.Streams[A].Head);
        Assert.Null(planner.Writes.Snapshots[A]);
        Assert.False(planner.State.SnapshotRevisions.ContainsKey(A));
        planner.Fails<WrongExpectedRevisionException>(new CommitBatch().Append(A, ExpectedRevision.StreamExists, Event()));
    }

    [Fact]
    public void A_truncate_removes_the_events_an_earlier_batch_of_the_group_appended_and_their_positions_stay_used()
    {
        var planner = Planner(State(head: 0));
        var gone = Event();
        planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.NoStream, gone, Event()));
        planner.Succeeds(new CommitBatch().Append(B, ExpectedRevision.NoStream, Event()));

        planner.Succeeds(new CommitBatch().TruncateStream(A, 1));

        Assert.Equal([(A, 1L, 2L), (B, 0L, 3L)], planner.Writes.Events.Select(e => (e.Stream, e.Revision, e.Position)));
        Assert.Equal(3, planner.Writes.Head);
        Assert.Equal(new StreamHead(1, 1, 2, false), planner.Writes.Streams[A].Head);
        Assert.False(planner.State.EventIds.ContainsKey(gone.EventId));
    }

    [Fact]
    public void A_condition_fails_on_a_stored_event_matching_its_filter_after_its_position()
    {
        var condition = new CommitBatch().RequireNoneAfter(EventFilter.ForStreams(A), 10).Append(A, ExpectedRevision.Any, Event());
        var operations = Ops(condition);
        var state = State(head: 30, fill: s => s.ConditionConflicts[(AppendConditionOperation)operations[0]] = 25);
        var planner = Planner(state);

        var decision = planner.Decide(operations);

        var error = Assert.IsType<AppendConditionFailedException>(decision.Error);
        Assert.Equal((10L, 25L), (error.AfterPosition, error.ConflictingPosition));
        Assert.Empty(planner.Writes.Events);
    }

    [Fact]
    public void A_condition_counts_the_events_of_earlier_batches_of_the_group_but_not_its_own()
    {
        var planner = Planner(State(head: 30));
        planner.Succeeds(new CommitBatch().RequireNoneAfter(EventFilter.ForStreams(A), 30).Append(A, ExpectedRevision.Any, Event(), Event()));

        var error = planner.Fails<AppendConditionFailedException>(new CommitBatch().RequireNoneAfter(EventFilter.ForStreams(A), 30).Append(B, ExpectedRevision.Any, Event()));
        planner.Succeeds(new CommitBatch().RequireNoneAfter(EventFilter.ForStreams(A), 32).Append(B, ExpectedRevision.Any, Event()));

        Assert.Equal(32, error.ConflictingPosition);
        Assert.Equal(33, planner.Writes.Head);
    }

    [Fact]
    public void A_condition_is_left_to_a_later_group_once_the_group_removed_stored_events()
    {
        var planner = Planner(State(head: 5, fill: s => s.Streams[A] = new StreamHead(0, 4, 5, false)));
        var conditional = Ops(new CommitBatch().RequireNoneAfter(EventFilter.All, 0).Append(B, ExpectedRevision.Any, Event()));
        Assert.True(planner.CanDecide(conditional));

        planner.Succeeds(new CommitBatch().TruncateStream(A, 3));

        Assert.False(planner.CanDecide(conditional));
        Assert.True(planner.CanDecide(Ops(new CommitBatch().Append(B, ExpectedRevision.Any, Event()))));
        Assert.Throws<InvalidOperationException>(() => planner.Decide(conditional));
    }
}
