using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Nats.Tests;

/// <summary>
/// What a NATS store cannot commit atomically, and what the layers above do about it: it says so, refuses what it
/// cannot do whole before writing anything, and the process host, which needs it, does not start.
/// </summary>
public sealed class NatsCapabilityTests
{
    private static readonly DateTimeOffset Due = DateTimeOffset.UnixEpoch;

    [Fact]
    public async Task The_store_describes_what_it_commits_atomically()
    {
        await using var store = await NatsFixture.OpenAsync(NatsFixture.NewStore());

        var capabilities = store.Capabilities;

        Assert.False(capabilities.AtomicAcrossStreams);
        Assert.False(capabilities.AtomicEventsWithRecords);
        Assert.False(capabilities.AtomicAcrossRecords);
        Assert.False(capabilities.SqlWork);
        Assert.Contains("JetStream", capabilities.Notes, StringComparison.Ordinal);
    }

    public static TheoryData<string> WideBatches => ["two streams", "events and a checkpoint", "a condition and a state", "two records", "a truncation and an append elsewhere"];

    [Theory]
    [MemberData(nameof(WideBatches))]
    public async Task A_batch_wider_than_one_commit_is_refused_whole_and_a_narrow_one_after_it_commits(string kind)
    {
        await using var store = await NatsFixture.OpenAsync(NatsFixture.NewStore());
        var seeded = await store.AppendAsync(StreamName.Parse("seed.1"), ExpectedRevision.NoStream, Event());
        var batch = kind switch
        {
            "two streams" => new CommitBatch().Append(StreamName.Parse("a.1"), ExpectedRevision.NoStream, Event()).Append(StreamName.Parse("b.1"), ExpectedRevision.NoStream, Event()),
            "events and a checkpoint" => new CommitBatch().Append(StreamName.Parse("a.1"), ExpectedRevision.NoStream, Event()).SaveCheckpoint("view", 1, null),
            "a condition and a state" => new CommitBatch().RequireNoneAfter(EventFilter.All, seeded.LastPosition).SaveState(StreamName.Parse("state.1"), 1, "State", new byte[] { 1 }),
            "two records" => new CommitBatch().SaveCheckpoint("view", 1, null).Enqueue("jobs", Guid.NewGuid(), "Job", new byte[] { 1 }, Due),
            _ => new CommitBatch().TruncateStream(StreamName.Parse("seed.1"), 1).Append(StreamName.Parse("a.1"), ExpectedRevision.NoStream, Event()),
        };

        var error = await Assert.ThrowsAsync<BatchNotAtomicException>(() => store.CommitAsync(batch).AsTask());

        Assert.StartsWith("The store cannot commit this batch atomically: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(seeded.LastPosition, await store.GetHeadPositionAsync());
        Assert.Null(await store.GetStreamInfoAsync(StreamName.Parse("a.1")));
        Assert.Null(await store.ReadCheckpointAsync("view"));
        Assert.Null(await store.ReadStateAsync(StreamName.Parse("state.1")));
        Assert.Empty(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        Assert.Single(await store.ReadStreamAsync(StreamName.Parse("seed.1")).ToListAsync());

        var parts = await store.CommitWholeOrInPartsAsync(batch);
        Assert.Equal(batch.Operations.OfType<AppendOperation>().Count(), parts.Appends.Count);
    }

    [Fact]
    public async Task A_process_host_does_not_start_on_a_store_that_commits_records_apart()
    {
        await using var store = await NatsFixture.OpenAsync(NatsFixture.NewStore());
        await using var host = new ProcessHost(store, new EventCodec(new TypeRegistry().Register<int>("tick")));
        host.Add("ticks", new Ticks());

        var error = await Assert.ThrowsAsync<NotSupportedException>(() => host.StartAsync());

        Assert.Contains("one atomic batch", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.ReadCheckpointAsync("ticks"));
    }

    private static EventData Event() => EventData.FromText("Happened", "{}");

    private sealed class Ticks : IProcess<int>
    {
        public EventFilter Filter => EventFilter.All;

        public int InitialState => 0;

        public ProcessRoute Route(object @event) => ProcessRoute.Start("one");

        public ProcessStep<int> Handle(int state, object message, ProcessContext context) => ProcessStep.With(state + 1);
    }
}
