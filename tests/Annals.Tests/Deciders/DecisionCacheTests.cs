using Annals.Deciders;
using Annals.InMemory;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Deciders;

public sealed class DecisionCacheTests
{
    [Fact]
    public async Task A_decision_on_a_cached_state_reads_no_event()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        for (var i = 1; i <= 10; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(i));
        }

        store.ResetCounts();
        var decision = await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));

        Assert.Equal(new Tally(56, 11), decision.State);
        Assert.Equal(0, store.Reads);
        Assert.Equal(1, typed.CachedStates);
    }

    [Fact]
    public async Task A_stale_cached_state_is_brought_up_to_date_from_its_revision_not_from_the_start()
    {
        await using var inner = new InMemoryEventStore();
        await using var store = new InstrumentedEventStore(inner);
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        for (var i = 0; i < 20; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));
        }

        var otherProcess = new TypedEventStore(inner, TallyDecider.Registry());
        await otherProcess.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(100));
        await otherProcess.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(100));
        store.ResetCounts();

        var decision = await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));

        Assert.Equal(new Tally(221, 23), decision.State);
        Assert.Equal(1, decision.Attempts);

        // The event at the cached revision (to check it is still stored) and the two stored since: not the 22 of the stream.
        Assert.Equal(3, store.EventsRead);
        Assert.Equal(1, store.Reads);
    }

    [Fact]
    public async Task A_lost_race_refreshes_from_the_state_held_not_from_the_start()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        for (var i = 0; i < 20; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));
        }

        store.ResetCounts();
        store.LoseRaces(3);
        var decision = await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), new DecideOptions { RetryDelay = TimeSpan.Zero });

        Assert.Equal(new Tally(21, 21), decision.State);

        // The first conflict is the cached state found stale; the next two are lost races. Each reads the anchor event alone.
        Assert.Equal(3, decision.Attempts);
        Assert.Equal(3, store.Reads);
        Assert.Equal(3, store.EventsRead);
    }

    [Fact]
    public async Task A_decision_over_a_filter_reads_only_the_filters_events_stored_since_its_cached_state()
    {
        await using var inner = new InMemoryEventStore();
        await using var store = new InstrumentedEventStore(inner);
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        for (var i = 0; i < 10; i++)
        {
            await typed.DecideAsync(TallyDecider.All, TallyDecider.Stream(i), TallyDecider.Instance, new Add(1));
        }

        var otherProcess = new TypedEventStore(inner, TallyDecider.Registry());
        await otherProcess.DecideAsync(TallyDecider.Stream(50), TallyDecider.Instance, new Add(5));
        store.ResetCounts();

        var decision = await typed.DecideAsync(TallyDecider.All, TallyDecider.Stream(51), TallyDecider.Instance, new Add(1));

        Assert.Equal(new Tally(16, 12), decision.State);
        Assert.Equal(1, decision.Attempts);
        Assert.Equal(1, store.EventsRead);
    }

    [Fact]
    public async Task The_least_recently_used_state_goes_first_when_the_cache_holds_too_many()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), cache: new DecisionCacheOptions { MaxEntries = 2 });
        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));
        await typed.DecideAsync(TallyDecider.Stream(2), TallyDecider.Instance, new Add(1));
        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));
        await typed.DecideAsync(TallyDecider.Stream(3), TallyDecider.Instance, new Add(1));

        Assert.Equal(2, typed.CachedStates);
        store.ResetCounts();
        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));
        await typed.DecideAsync(TallyDecider.Stream(3), TallyDecider.Instance, new Add(1));
        Assert.Equal(0, store.Reads);

        // Stream 2 was the least recently used: it is loaded again.
        var two = await typed.DecideAsync(TallyDecider.Stream(2), TallyDecider.Instance, new Add(1));
        Assert.Equal(new Tally(2, 2), two.State);
        Assert.Equal(1, store.EventsRead);
        Assert.Equal(2, typed.CachedStates);
    }

    [Fact]
    public async Task States_go_when_their_estimated_bytes_pass_the_bound()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        const long bound = 3 * DecisionCacheOptions.EntryOverhead;
        var typed = new TypedEventStore(store, TallyDecider.Registry(), cache: new DecisionCacheOptions { MaxBytes = bound });
        for (var i = 0; i < 5; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(i), TallyDecider.Instance, new Add(1));
            Assert.InRange(typed.CachedBytes, 0, bound);
        }

        // Each state counts the overhead and its one event (its data, type and metadata): two fit, three do not.
        Assert.Equal(2, typed.CachedStates);
        var stored = await store.ReadStreamAsync(TallyDecider.Stream(4)).SingleAsync();
        var eventBytes = stored.Data.Length + stored.Type.Length + stored.Metadata.Sum(m => m.Key.Length + m.Value.Length);
        Assert.Equal(2 * (DecisionCacheOptions.EntryOverhead + eventBytes), typed.CachedBytes);

        // A state that alone passes the bound is not kept.
        for (var i = 0; i < 20; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(9), TallyDecider.Instance, new Add(1));
        }

        Assert.InRange(typed.CachedBytes, 0, bound);
        Assert.Equal(20, (await typed.LoadAsync(TallyDecider.Stream(9), TallyDecider.Instance)).State.Count);
    }

    [Fact]
    public async Task Without_the_cache_each_decision_folds_the_stream_and_leaves_the_cache_as_it_was()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        var uncached = new TypedEventStore(store, TallyDecider.Registry(), cache: DecisionCacheOptions.Disabled);
        var bypass = new DecideOptions { UseCache = false };
        for (var i = 0; i < 5; i++)
        {
            await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), bypass);
            await uncached.DecideAsync(TallyDecider.Stream(2), TallyDecider.Instance, new Add(1));
        }

        Assert.Equal(0, typed.CachedStates);
        Assert.Equal(0, uncached.CachedStates);
        store.ResetCounts();
        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), bypass);
        await uncached.DecideAsync(TallyDecider.Stream(2), TallyDecider.Instance, new Add(1));
        Assert.Equal(10, store.EventsRead);
    }

    [Fact]
    public async Task A_rejection_leaves_the_cached_state_as_the_stream_made_it()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry());
        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(3));

        await Assert.ThrowsAsync<TallyRejectedException>(() => typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(0)));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), cancellationToken: cancelled.Token));
        var decision = await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(4));

        Assert.Equal(new Tally(7, 2), decision.State);
        Assert.Single(await store.ReadStreamAsync(TallyDecider.Stream(1), 1).ToListAsync());
    }

    [Fact]
    public void Bounds_below_zero_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TypedEventStore(new InMemoryEventStore(), TallyDecider.Registry(), cache: new DecisionCacheOptions { MaxEntries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TypedEventStore(new InMemoryEventStore(), TallyDecider.Registry(), cache: new DecisionCacheOptions { MaxBytes = -1 }));
    }
}
