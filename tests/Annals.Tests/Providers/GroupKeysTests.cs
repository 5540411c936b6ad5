using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;
using static Annals.Tests.Providers.Planning;

namespace Annals.Tests.Providers;

public sealed class GroupKeysTests
{
    [Fact]
    public void The_keys_of_a_group_name_what_its_batches_check_by_kind()
    {
        var a = Stream("a");
        var b = Stream("b");
        var c = Stream("c");
        var first = Event();
        var second = Event();
        var message = Guid.NewGuid();
        var keys = new GroupKeys();

        keys.Add(Ops(new CommitBatch()
            .Append(a, ExpectedRevision.Any, first, second)
            .SaveSnapshot(b, 1, "Account", new byte[] { 1 })
            .DeleteSnapshot(c)
            .SaveState(c, 1, "Cart", new byte[] { 1 })
            .RequireNoneAfter(EventFilter.All, 3)));
        keys.Add(Ops(new CommitBatch()
            .TruncateStream(a, 1)
            .DeleteStream(c)
            .SaveCheckpoint("projector", 2, null)
            .Enqueue("timeouts", message, "Timeout", new byte[] { 1 }, Now)
            .ExecuteSql((_, _) => ValueTask.CompletedTask)));

        Assert.Equal(["account.a", "account.b", "account.c"], keys.Streams.Select(s => s.Value).Order(StringComparer.Ordinal));
        Assert.Equal(new HashSet<Guid> { first.EventId, second.EventId }, keys.EventIds.ToHashSet());
        Assert.Equal([b], keys.Snapshots);
        Assert.Equal([c], keys.States);
        Assert.Equal(["projector"], keys.Checkpoints);
        Assert.Equal([new MessageKey("timeouts", message)], keys.Messages);
        Assert.Equal(3, Assert.Single(keys.Conditions).AfterPosition);
        Assert.True(keys.Enqueues);
        Assert.True(keys.HasSqlWork);
    }

    [Fact]
    public void An_append_only_batch_needs_only_its_streams_and_event_ids()
    {
        var keys = GroupKeys.For(Ops(new CommitBatch().Append(Stream("a"), ExpectedRevision.Any, Event())));

        Assert.Single(keys.Streams);
        Assert.Single(keys.EventIds);
        Assert.Empty(keys.Snapshots);
        Assert.Empty(keys.States);
        Assert.Empty(keys.Checkpoints);
        Assert.Empty(keys.Messages);
        Assert.Empty(keys.Conditions);
        Assert.False(keys.Enqueues);
        Assert.False(keys.HasSqlWork);
    }
}
