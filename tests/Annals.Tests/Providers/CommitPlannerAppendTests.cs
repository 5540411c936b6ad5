using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

public sealed class CommitPlannerAppendTests
{
    private static readonly StreamName A = Stream("a");
    private static readonly StreamName B = Stream("b");

    [Fact]
    public void An_append_to_a_new_stream_takes_revisions_from_0_and_positions_after_the_head()
    {
        var planner = Planner(State(head: 10));
        var first = Event();
        var second = Event("Withdrawn");

        var result = planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.NoStream, first, second));

        Assert.Equal([new AppendResult(A, 0, 1, 11, 12)], result.Appends);
        var writes = planner.Writes;
        Assert.Equal(11, writes.FirstPosition);
        Assert.Equal(12, writes.Head);
        Assert.True(writes.Appended);
        Assert.Equal([new NewEvent(A, 0, 11, first, Now), new NewEvent(A, 1, 12, second, Now)], writes.Events);
        Assert.Equal(new StreamWrite(new StreamHead(0, 1, 12, false), AppendedOnly: false), writes.Streams[A]);
        Assert.Equal(new AppendReplay.StoredEvent(A, 1, 12), planner.State.EventIds[second.EventId]);
    }

    [Fact]
    public void An_append_to_a_live_stream_continues_after_its_last_revision_and_only_appends()
    {
        var planner = Planner(State(head: 40, fill: s => s.Streams[A] = new StreamHead(3, 7, 30, false)));

        var result = planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.Exact(7), Event()));

        Assert.Equal([new AppendResult(A, 8, 8, 41, 41)], result.Appends);
        Assert.Equal(new StreamWrite(new StreamHead(3, 8, 41, false), AppendedOnly: true), planner.Writes.Streams[A]);
    }

    [Fact]
    public void A_deleted_stream_is_re_created_after_its_old_last_revision()
    {
        var planner = Planner(State(head: 40, fill: s => s.Streams[A] = new StreamHead(8, 7, 30, Deleted: true)));

        var result = planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.NoStream, Event()));

        Assert.Equal([new AppendResult(A, 8, 8, 41, 41)], result.Appends);
        Assert.Equal(new StreamWrite(new StreamHead(8, 8, 41, false), AppendedOnly: false), planner.Writes.Streams[A]);
    }

    [Theory]
    [InlineData("no stream", 4L)]
    [InlineData("exact 3", 4L)]
    [InlineData("stream exists", null)]
    public void An_append_whose_expectation_fails_names_the_actual_revision(string expected, long? actual)
    {
        var expectation = expected switch
        {
            "no stream" => ExpectedRevision.NoStream,
            "exact 3" => ExpectedRevision.Exact(3),
            _ => ExpectedRevision.StreamExists,
        };
        var planner = Planner(State(head: 9, fill: s => s.Streams[A] = new StreamHead(0, 4, 9, Deleted: actual is null)));

        var error = planner.Fails<WrongExpectedRevisionException>(new CommitBatch().Append(A, expectation, Event()));

        Assert.Equal((A, expectation, actual), (error.Stream, error.Expected, error.Actual));
        Assert.Empty(planner.Writes.Events);
        Assert.Equal(9, planner.Writes.Head);
    }

    [Fact]
    public void The_appends_of_a_group_follow_each_other_in_commit_order()
    {
        var planner = Planner(State(head: 5));

        var first = planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.NoStream, Event(), Event()).Append(B, ExpectedRevision.Any, Event()));
        var second = planner.Succeeds(new CommitBatch().Append(A, ExpectedRevision.Exact(1), Event()));

        Assert.Equal([new AppendResult(A, 0, 1, 6, 7), new AppendResult(B, 0, 0, 8, 8)], first.Appends);
        Assert.Equal([new AppendResult(A, 2, 2, 9, 9)], second.Appends);
        Assert.Equal([6L, 7, 8, 9], planner.Writes.Events.Select(e => e.Position));
        Assert.Equal(new StreamWrite(new StreamHead(0, 2, 9, false), AppendedOnly: false), planner.Writes.Streams[A]);
    }

    [Fact]
    public void A_re_commit_of_stored_events_is_a_replay_that_writes_nothing_and_ignores_the_expectation()
    {
        var first = Event();
        var second = Event();
        var planner = Planner(State(head: 20, fill: s =>
        {
            s.Streams[A] = new StreamHead(0, 6, 20, false);
            s.EventIds[first.EventId] = new AppendReplay.StoredEvent(A, 4, 12);
            s.EventIds[second.EventId] = new AppendReplay.StoredEvent(A, 5, 15);
        }));

        var decision = planner.Decide(Ops(new CommitBatch().Append(A, ExpectedRevision.NoStream, first, second)));

        Assert.True(decision.Succeeded);
        Assert.True(decision.Replayed);
        Assert.Equal([new AppendResult(A, 4, 5, 12, 15)], decision.Result.Appends);
        Assert.Empty(planner.Writes.Events);
        Assert.Empty(planner.Writes.Streams);
        Assert.Equal(20, planner.Writes.Head);
    }

    [Fact]
    public void A_re_commit_of_events_an_earlier_batch_of_the_group_appended_is_a_replay()
    {
        var planner = Planner(State(head: 1));
        var batch = new CommitBatch().Append(A, ExpectedRevision.NoStream, Event(), Event());
        var original = planner.Succeeds(batch);

        var decision = planner.Decide(Ops(batch));

        Assert.True(decision.Replayed);
        Assert.Equal(original, decision.Result);
        Assert.Equal(2, planner.Writes.Events.Count);
    }

    [Fact]
    public void Reusing_only_some_stored_ids_fails_with_a_duplicate_id()
    {
        var stored = Event();
        var planner = Planner(State(head: 3, fill: s =>
        {
            s.Streams[A] = new StreamHead(0, 0, 3, false);
            s.EventIds[stored.EventId] = new AppendReplay.StoredEvent(A, 0, 3);
        }));

        var error = planner.Fails<DuplicateEventIdException>(new CommitBatch().Append(A, ExpectedRevision.Any, stored, Event()));

        Assert.Equal((stored.EventId, A, A, 0L), (error.EventId, error.Stream, error.ExistingStream, error.ExistingRevision));
    }

    [Fact]
    public void Reusing_an_id_stored_in_another_stream_fails_with_a_duplicate_id()
    {
        var stored = Event();
        var planner = Planner(State(head: 3, fill: s => s.EventIds[stored.EventId] = new AppendReplay.StoredEvent(B, 2, 3)));

        var error = planner.Fails<DuplicateEventIdException>(new CommitBatch().Append(A, ExpectedRevision.Any, stored));

        Assert.Equal((stored.EventId, A, B, 2L), (error.EventId, error.Stream, error.ExistingStream, error.ExistingRevision));
    }

    [Fact]
    public void An_id_whose_stored_event_the_group_removed_may_be_used_again()
    {
        var reused = Event();
        var planner = Planner(State(head: 3, fill: s =>
        {
            s.Streams[A] = new StreamHead(0, 0, 3, false);
            s.EventIds[reused.EventId] = new AppendReplay.StoredEvent(A, 0, 3);
        }));
        planner.Succeeds(new CommitBatch().DeleteStream(A));

        var result = planner.Succeeds(new CommitBatch().Append(B, ExpectedRevision.NoStream, reused));

        Assert.Equal([new AppendResult(B, 0, 0, 4, 4)], result.Appends);
        Assert.Equal(new AppendReplay.StoredEvent(B, 0, 4), planner.State.EventIds[reused.EventId]);
    }
}
