using Annals.Deciders;
using Annals.Entities;
using Annals.InMemory;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Deciders;

public sealed class AsyncDeciderTests
{
    private static readonly StreamName Tally1 = TallyDecider.Stream(1);

    public static TheoryData<string> Paths => ["stream", "filter"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_decision_waits_for_the_decider_and_stores_nothing_before_its_answer(string path)
    {
        await using var store = new InMemoryEventStore();
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        var decider = new HeldDecision();

        var deciding = DecideAsync(typed, path, decider, new Add(5), CancellationToken.None);
        await decider.Entered;

        Assert.False(deciding.IsCompleted);
        Assert.Equal(0, await store.GetHeadPositionAsync());
        decider.Release();
        var decision = await deciding;
        Assert.Equal(new Tally(5, 1), decision.State);
        Assert.Single(await store.ReadStreamAsync(Tally1).ToListAsync());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task The_deciders_exception_is_the_rejection_and_nothing_is_stored(string path)
    {
        await using var store = new InMemoryEventStore();
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        var decider = new HeldDecision();

        var deciding = DecideAsync(typed, path, decider, new Add(5), CancellationToken.None);
        await decider.Entered;
        decider.Release(new TallyRejectedException());

        await Assert.ThrowsAsync<TallyRejectedException>(() => deciding);
        Assert.Equal(0, await store.GetHeadPositionAsync());
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Cancelling_stops_the_waiting_decider_and_nothing_is_stored(string path)
    {
        await using var store = new InMemoryEventStore();
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        var decider = new HeldDecision();
        using var cancellation = new CancellationTokenSource();

        var deciding = DecideAsync(typed, path, decider, new Add(5), cancellation.Token);
        await decider.Entered;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deciding);
        await decider.Stopped;
        decider.Release();
        Assert.Equal(0, await store.GetHeadPositionAsync());
        var next = await DecideAsync(typed, path, decider, new Add(2), CancellationToken.None);
        Assert.Equal(new Tally(2, 1), next.State);
    }

    [Fact]
    public async Task A_synchronous_decider_keeps_deciding_as_before_beside_an_asynchronous_one_sharing_its_cached_state()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        var decider = new HeldDecision();
        decider.Release();

        await typed.DecideAsync(Tally1, TallyDecider.Instance, new Add(1));
        var held = await typed.DecideAsync(Tally1, decider, new Add(2));
        var again = await typed.DecideAndEvolveAsync(held.After, decider, new Add(3));

        Assert.Equal(new Tally(3, 2), held.State);
        Assert.Equal(new Tally(6, 3), again.State);
    }

    [Fact]
    public async Task An_event_sourced_entity_waits_for_its_asynchronous_behaviour_and_its_rejection_stores_nothing()
    {
        await using var store = new InMemoryEventStore();
        var rejecting = new HeldDecision();
        var accepting = new HeldDecision();
        await using var engine = new EntityEngine(store, new EventCodec(TallyDecider.Registry()))
            .Register("tally", accepting)
            .Register("rejecting", rejecting);
        await engine.StartAsync();

        var sending = engine.SendCommandAsync<Tally>(Tally1, new Add(4));
        await accepting.Entered;
        Assert.False(sending.IsCompleted);
        Assert.Equal(0, await store.GetHeadPositionAsync());
        accepting.Release();
        var reply = await sending;

        Assert.Equal(new Tally(4, 1), reply.State);
        Assert.Equal(0, reply.Revision);
        var rejected = engine.SendCommandAsync<Tally>(StreamName.Parse("rejecting.1"), new Add(4));
        await rejecting.Entered;
        rejecting.Release(new TallyRejectedException());
        var error = await Assert.ThrowsAsync<CommandRejectedException>(() => rejected);
        Assert.IsType<TallyRejectedException>(error.InnerException);
        Assert.Empty(await store.ReadStreamAsync(StreamName.Parse("rejecting.1")).ToListAsync());
    }

    [Fact]
    public async Task An_event_sourced_entity_stops_its_waiting_behaviour_when_the_sender_cancels_and_stores_nothing()
    {
        await using var store = new InMemoryEventStore();
        var decider = new HeldDecision();
        await using var engine = new EntityEngine(store, new EventCodec(TallyDecider.Registry())).Register("tally", decider);
        await engine.StartAsync();
        using var cancellation = new CancellationTokenSource();

        var sending = engine.SendCommandAsync<Tally>(Tally1, new Add(4), cancellationToken: cancellation.Token);
        await decider.Entered;
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        await decider.Stopped;
        decider.Release();
        var next = await engine.SendCommandAsync<Tally>(Tally1, new Add(1));
        Assert.Equal(new Tally(1, 1), next.State);
        Assert.Single(await store.ReadStreamAsync(Tally1).ToListAsync());
    }

    [Fact]
    public async Task A_durable_state_entity_waits_for_its_asynchronous_behaviour_and_its_rejection_or_cancellation_saves_nothing()
    {
        await using var store = new InMemoryEventStore();
        var accepting = new HeldDecision();
        var rejecting = new HeldDecision();
        var cancelled = new HeldDecision();
        await using var engine = new EntityEngine(store, new EventCodec(TallyDecider.Registry()))
            .RegisterDurableState<Add, Tally>("tally", accepting)
            .RegisterDurableState<Add, Tally>("rejecting", rejecting)
            .RegisterDurableState<Add, Tally>("cancelled", cancelled);
        await engine.StartAsync();

        var sending = engine.SendCommandAsync<Tally>(Tally1, new Add(4));
        await accepting.Entered;
        Assert.False(sending.IsCompleted);
        Assert.Null(await store.ReadStateAsync(Tally1));
        accepting.Release();
        Assert.Equal(new Tally(4, 1), (await sending).State);
        Assert.Equal(1, (await store.ReadStateAsync(Tally1))?.Version);

        var rejected = engine.SendCommandAsync<Tally>(StreamName.Parse("rejecting.1"), new Add(4));
        await rejecting.Entered;
        rejecting.Release(new TallyRejectedException());
        await Assert.ThrowsAsync<CommandRejectedException>(() => rejected);
        Assert.Null(await store.ReadStateAsync(StreamName.Parse("rejecting.1")));

        using var cancellation = new CancellationTokenSource();
        var stopped = engine.SendCommandAsync<Tally>(StreamName.Parse("cancelled.1"), new Add(4), cancellationToken: cancellation.Token);
        await cancelled.Entered;
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stopped);
        await cancelled.Stopped;
        cancelled.Release();
        Assert.Equal(new Tally(2, 1), (await engine.SendCommandAsync<Tally>(StreamName.Parse("cancelled.1"), new Add(2))).State);
        Assert.Equal(1, (await store.ReadStateAsync(StreamName.Parse("cancelled.1")))?.Version);
    }

    private static Task<Decision<Tally, Added>> DecideAsync(TypedEventStore typed, string path, HeldDecision decider, Add command, CancellationToken cancellationToken) =>
        path == "stream"
            ? typed.DecideAsync(Tally1, decider, command, cancellationToken: cancellationToken)
            : typed.DecideAsync(TallyDecider.All, Tally1, decider, command, cancellationToken: cancellationToken);
}
