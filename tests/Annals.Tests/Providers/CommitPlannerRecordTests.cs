using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

public sealed class CommitPlannerRecordTests
{
    private const string Queue = "timeouts";
    private static readonly StreamName A = Stream("a");
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    [Fact]
    public void A_snapshot_counts_the_appends_of_its_batch_wherever_they_stand()
    {
        var planner = Planner(State(head: 9, fill: s =>
        {
            s.Streams[A] = new StreamHead(0, 4, 9, false);
            s.SnapshotRevisions[A] = 2;
        }));

        planner.Succeeds(new CommitBatch().SaveSnapshot(A, 6, "Account", new byte[] { 7 }).Append(A, ExpectedRevision.Exact(4), Event(), Event()));

        Assert.Equal(6, planner.Writes.Snapshots[A]!.Revision);
        Assert.Equal(6, planner.State.SnapshotRevisions[A]);
    }

    [Theory]
    [InlineData(5L)] // beyond the stream's last revision
    [InlineData(2L)] // not newer than the stored snapshot
    public void A_snapshot_beyond_the_stream_or_not_newer_than_the_stored_one_conflicts(long revision)
    {
        var planner = Planner(State(head: 9, fill: s =>
        {
            s.Streams[A] = new StreamHead(0, 4, 9, false);
            s.SnapshotRevisions[A] = 2;
        }));

        var error = planner.Fails<SnapshotConflictException>(new CommitBatch().SaveSnapshot(A, revision, "Account", new byte[] { 7 }));

        Assert.Equal((A, revision, (long?)2, (long?)4), (error.Stream, error.Revision, error.StoredRevision, error.StreamRevision));
        Assert.Empty(planner.Writes.Snapshots);
    }

    [Fact]
    public void A_snapshot_of_a_stream_deleted_in_its_batch_conflicts_with_no_stream_revision()
    {
        var planner = Planner(State(head: 9, fill: s => s.Streams[A] = new StreamHead(0, 4, 9, false)));

        var error = planner.Fails<SnapshotConflictException>(new CommitBatch().SaveSnapshot(A, 1, "Account", new byte[] { 7 }).DeleteStream(A));

        Assert.Null(error.StreamRevision);
        Assert.Empty(planner.Writes.Streams);
        Assert.Empty(planner.Writes.StoredEventCutoffs);
    }

    [Fact]
    public void Deleting_a_snapshot_always_succeeds()
    {
        var planner = Planner();

        planner.Succeeds(new CommitBatch().DeleteSnapshot(A));

        Assert.Null(planner.Writes.Snapshots[A]);
    }

    [Fact]
    public void A_state_is_saved_at_the_stored_version_plus_one_and_deleted_at_the_stored_version()
    {
        var key = Stream("state");
        var planner = Planner(State(fill: s => s.StateVersions[key] = 3));

        var wrong = planner.Fails<WrongExpectedVersionException>(new CommitBatch().SaveState(key, 3, "Cart", new byte[] { 1 }));
        planner.Succeeds(new CommitBatch().SaveState(key, 4, "Cart", new byte[] { 1 }));
        var stale = planner.Fails<WrongExpectedVersionException>(new CommitBatch().DeleteState(key, 3));
        planner.Succeeds(new CommitBatch().DeleteState(key, 4));
        planner.Succeeds(new CommitBatch().SaveState(key, 1, "Cart", new byte[] { 2 }));

        Assert.Equal((key, 2L, 3L), (wrong.Key, wrong.Expected, wrong.Actual));
        Assert.Equal((key, 3L, 4L), (stale.Key, stale.Expected, stale.Actual));
        Assert.Equal(1, planner.Writes.States[key]!.Version);
    }

    [Fact]
    public void A_checkpoint_is_saved_over_the_expected_position_only()
    {
        var planner = Planner(State(fill: s => s.Checkpoints["projector"] = 10));

        var error = planner.Fails<CheckpointConflictException>(new CommitBatch().SaveCheckpoint("projector", 12, null));
        planner.Succeeds(new CommitBatch().SaveCheckpoint("projector", 12, 10));
        planner.Succeeds(new CommitBatch().SaveCheckpoint("other", 3, null));

        Assert.Equal(("projector", (long?)null, (long?)10), (error.Consumer, error.Expected, error.Actual));
        Assert.Equal(new Dictionary<string, long> { ["projector"] = 12, ["other"] = 3 }, planner.Writes.Checkpoints);
    }

    [Fact]
    public void An_enqueued_message_takes_revision_0_and_the_next_queue_sequence()
    {
        var id = Guid.NewGuid();
        var planner = Planner(State(fill: s => s.QueueSequence = 41));

        planner.Succeeds(new CommitBatch().Enqueue(Queue, id, "Timeout", new byte[] { 1 }, Later));

        var write = planner.Writes.Messages[new MessageKey(Queue, id)];
        Assert.False(write.ExistedBefore);
        Assert.Null(write.Update);
        Assert.Equal((Later, 0, (string?)null, 0L, 42L, Now), (write.Insert!.DueAt, write.Insert.FailureCount, write.Insert.LastError, write.Insert.Revision, write.Insert.Sequence, write.Insert.EnqueuedAt));
        Assert.Equal(42, planner.Writes.QueueSequence);
    }

    [Fact]
    public void Enqueueing_a_stored_message_conflicts()
    {
        var id = Guid.NewGuid();
        var planner = Planner(State(fill: s => s.MessageRevisions[new MessageKey(Queue, id)] = 2));

        var error = planner.Fails<QueueMessageConflictException>(new CommitBatch().Enqueue(Queue, id, "Timeout", new byte[] { 1 }, Later));

        Assert.Equal((Queue, id, (long?)null, (long?)2), (error.Queue, error.MessageId, error.Expected, error.Actual));
        Assert.Equal(0, planner.Writes.QueueSequence);
    }

    [Fact]
    public void A_reschedule_updates_a_stored_message_at_its_revision_and_a_removal_deletes_it()
    {
        var kept = Guid.NewGuid();
        var handled = Guid.NewGuid();
        var planner = Planner(State(fill: s =>
        {
            s.MessageRevisions[new MessageKey(Queue, kept)] = 2;
            s.MessageRevisions[new MessageKey(Queue, handled)] = 0;
        }));

        var stale = planner.Fails<QueueMessageConflictException>(new CommitBatch().Reschedule(Queue, kept, 1, Later, 1, "boom"));
        var missing = planner.Fails<QueueMessageConflictException>(new CommitBatch().RemoveMessage(Queue, Guid.NewGuid(), 0));
        planner.Succeeds(new CommitBatch().Reschedule(Queue, kept, 2, Later, 1, "boom").RemoveMessage(Queue, handled, 0));

        Assert.Equal(((long?)1, (long?)2), (stale.Expected, stale.Actual));
        Assert.Null(missing.Actual);
        Assert.Equal(new MessageWrite(true, null, new MessageUpdate(Later, 1, "boom", 3)), planner.Writes.Messages[new MessageKey(Queue, kept)]);
        Assert.Equal(new MessageWrite(true, null, null), planner.Writes.Messages[new MessageKey(Queue, handled)]);
    }

    [Fact]
    public void A_message_the_group_enqueued_and_rescheduled_is_inserted_as_rescheduled()
    {
        var id = Guid.NewGuid();
        var planner = Planner();

        planner.Succeeds(new CommitBatch().Enqueue(Queue, id, "Timeout", new byte[] { 1 }, Now));
        planner.Succeeds(new CommitBatch().Reschedule(Queue, id, 0, Later, 1, "boom"));

        var write = planner.Writes.Messages[new MessageKey(Queue, id)];
        Assert.False(write.ExistedBefore);
        Assert.Null(write.Update);
        Assert.Equal((Later, 1, "boom", 1L, 1L), (write.Insert!.DueAt, write.Insert.FailureCount, write.Insert.LastError, write.Insert.Revision, write.Insert.Sequence));
    }

    [Fact]
    public void A_stored_message_the_group_removed_and_enqueued_again_replaces_the_stored_one()
    {
        var id = Guid.NewGuid();
        var planner = Planner(State(fill: s => s.MessageRevisions[new MessageKey(Queue, id)] = 4));

        planner.Succeeds(new CommitBatch().RemoveMessage(Queue, id, 4));
        planner.Succeeds(new CommitBatch().Enqueue(Queue, id, "Timeout", new byte[] { 1 }, Later));

        var write = planner.Writes.Messages[new MessageKey(Queue, id)];
        Assert.True(write.ExistedBefore);
        Assert.Equal(0, write.Insert!.Revision);
    }
}
