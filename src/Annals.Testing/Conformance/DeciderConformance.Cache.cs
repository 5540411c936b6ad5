using Annals.Deciders;
using Annals.Storage;
using Annals.Testing.Conformance.Deciders;
using Xunit;

namespace Annals.Testing.Conformance;

// The cache of folded states against everything else that writes the same streams: raw appends, another typed store (as
// another process would be, with a cache of its own), deletion and truncation. Every typed store here caches (the default).
public abstract partial class DeciderConformance<TFixture>
{
    private static readonly StreamName Gate = StreamName.Parse("gate.1");
    private readonly GateDecider _gate = new();

    /// <summary>A decision on a cached state sees what another typed store (another process) and a raw writer appended since, and counts it once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_cached_state_takes_in_what_other_writers_appended_since()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var otherProcess = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        await typed.DecideAsync(Counter, _counter, new Increment(2));

        await otherProcess.DecideAsync(Counter, _counter, new Increment(10));
        await typed.AppendAsync(Counter, ExpectedRevision.Any, [new Incremented(100)]);
        var decision = await typed.DecideAsync(Counter, _counter, new Increment(1000));
        var theOther = await otherProcess.DecideAsync(Counter, _counter, new Increment(10_000));

        Assert.Equal(new CounterState(1113, 5), decision.State);
        Assert.Equal(4, decision.Revision);
        Assert.Equal(1, decision.Attempts);
        Assert.Equal(new CounterState(11_113, 6), theOther.State);
        Assert.Equal(theOther.State, (await typed.LoadAsync(Counter, _counter)).State);
    }

    /// <summary>A rejection on a cached state is believed only once the state is known current: a pass the cached state would reject is accepted when another process opened the gate.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_rejection_on_a_stale_cached_state_is_decided_again_on_the_current_one()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var otherProcess = Typed(store);
        await typed.DecideAsync(Gate, _gate, new GateCommand("open"));
        await typed.DecideAsync(Gate, _gate, new GateCommand("close"));
        await Assert.ThrowsAsync<GateClosedException>(() => typed.DecideAsync(Gate, _gate, new GateCommand("pass")));

        await otherProcess.DecideAsync(Gate, _gate, new GateCommand("open"));
        var passed = await typed.DecideAsync(Gate, _gate, new GateCommand("pass"));

        Assert.Equal(new GateState(true, 1), passed.State);
        Assert.Equal(3, passed.Revision);
        await otherProcess.DecideAsync(Gate, _gate, new GateCommand("close"));
        await Assert.ThrowsAsync<GateClosedException>(() => typed.DecideAsync(Gate, _gate, new GateCommand("pass")));
        Assert.Equal(5, (await ReadStreamAsync(store, Gate)).Count);
    }

    /// <summary>A decision of nothing on a cached state is believed only once the state is known current: closing a gate the cache holds closed closes it when another process opened it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_decision_of_nothing_on_a_stale_cached_state_is_decided_again_on_the_current_one()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Gate, _gate, new GateCommand("open"));
        await typed.DecideAsync(Gate, _gate, new GateCommand("close"));
        Assert.Empty((await typed.DecideAsync(Gate, _gate, new GateCommand("close"))).Events);

        await Typed(store).DecideAsync(Gate, _gate, new GateCommand("open"));
        var closed = await typed.DecideAsync(Gate, _gate, new GateCommand("close"));

        Assert.Equal([new GateMoved("closed")], closed.Events);
        Assert.Equal(new GateState(false, 0), closed.State);
        Assert.Equal(3, closed.Revision);
    }

    /// <summary>A stream deleted (and created again) while its state is cached is folded again: the cached state is not used.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_stream_deleted_while_its_state_is_cached_is_folded_again()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Gate, _gate, new GateCommand("open"));
        await typed.DecideAsync(Gate, _gate, new GateCommand("pass"));
        await typed.DecideAsync(Counter, _counter, new Increment(5));
        await typed.DecideAsync(Counter, _counter, new Increment(6));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().DeleteStream(Gate).DeleteStream(Counter));
        await Assert.ThrowsAsync<GateClosedException>(() => typed.DecideAsync(Gate, _gate, new GateCommand("pass")));
        var counted = await typed.DecideAsync(Counter, _counter, new Increment(7));
        await store.AppendAsync(Gate, ExpectedRevision.NoStream, NewEvent("gate-moved", """{"kind":"passed"}"""));
        var reopened = await typed.DecideAsync(Gate, _gate, new GateCommand("open"));

        Assert.Equal(new CounterState(7, 1), counted.State);
        Assert.Equal(2, counted.Revision);
        Assert.Equal(new CounterState(7, 1), (await typed.LoadAsync(Counter, _counter)).State);
        Assert.Equal(new GateState(true, 1), reopened.State);
        Assert.Equal((await typed.LoadAsync(Gate, _gate)).State, reopened.State);
    }

    /// <summary>A stream truncated after a snapshot while its state is cached decides as a load from the snapshot does.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_stream_truncated_after_its_snapshot_decides_as_a_load_does()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var snapshots = new DecideOptions { SnapshotEvery = 2 };
        for (var i = 1; i <= 4; i++)
        {
            await typed.DecideAsync(Counter, _counter, new Increment(i), snapshots);
        }

        await store.CommitWholeOrInPartsAsync(new CommitBatch().TruncateStream(Counter, 3));
        var decision = await typed.DecideAsync(Counter, _counter, new Increment(10));

        Assert.Equal(new CounterState(20, 5), decision.State);
        Assert.Equal(decision.State, (await typed.LoadAsync(Counter, _counter)).State);
        Assert.Equal(decision.State, (await typed.DecideAsync(Counter, _counter, new Increment(0), new DecideOptions { UseCache = false })).State);
    }

    /// <summary>Two typed stores (two processes, each with its cache) and a raw writer racing on one stream: every decision counts exactly once, and both caches end on the stream's state.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Two_caching_typed_stores_and_a_raw_writer_racing_on_one_stream_each_count_once()
    {
        await using var store = await NewStoreAsync();
        TypedEventStore[] processes = [Typed(store), Typed(store)];
        await processes[0].DecideAsync(Counter, _counter, new Increment(1));
        await processes[1].DecideAsync(Counter, _counter, new Increment(1));
        using var timeout = new CancellationTokenSource(Patience);

        var decisions = await RunTogetherAsync(
            24,
            async (i, ct) =>
            {
                if (i % 8 == 7)
                {
                    await processes[0].AppendAsync(Counter, ExpectedRevision.Any, [new Incremented(100)], cancellationToken: ct);
                    return null;
                }

                return await processes[i % 2].DecideAsync(Counter, _counter, new Increment(1), cancellationToken: ct);
            },
            timeout.Token);

        var final = (await processes[0].LoadAsync(Counter, _counter)).State;
        Assert.Equal(new CounterState(2 + 21 + 300, 2 + 24), final);
        Assert.Equal(21, decisions.Count(d => d is not null));
        Assert.Equal(final, (await processes[0].DecideAsync(Counter, _counter, new Increment(0))).State);
        Assert.Equal(final, (await processes[1].DecideAsync(Counter, _counter, new Increment(0))).State);
    }

    /// <summary>Over a filter, a cached state takes in claims another typed store (another process) stored since: a name it took is rejected, another is claimed, and the state holds both.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_cached_state_over_a_filter_takes_in_claims_another_process_stored_since()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var otherProcess = Typed(store);
        var decider = new UsernameDecider();
        await typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.ada"), decider, new ClaimUsername("ada", "ada"));

        await otherProcess.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.bob"), decider, new ClaimUsername("bob", "bob"));
        await Assert.ThrowsAsync<UsernameTakenException>(() => typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.bea"), decider, new ClaimUsername("bea", "bob")));
        await typed.AppendAsync(StreamName.Parse("user.cy"), ExpectedRevision.Any, [new UsernameClaimed("cy", "cy")]);
        var claimed = await typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.bea"), decider, new ClaimUsername("bea", "bea"));

        Assert.Equal(["ada", "bea", "bob", "cy"], claimed.State.Order());
        Assert.Equal(1, claimed.Attempts);
        var again = await otherProcess.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.dee"), decider, new ClaimUsername("dee", "dee"));
        Assert.Equal(["ada", "bea", "bob", "cy", "dee"], again.State.Order());
    }
}
