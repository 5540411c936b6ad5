using Annals.Deciders;
using Annals.InMemory;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Tests.Deciders;

public sealed class DecideRetryBudgetTests
{
    [Fact]
    public async Task A_decision_losing_fifteen_races_in_a_row_is_still_stored_within_the_default_budget()
    {
        var clock = new PauseRecordingClock();
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), clock);
        store.LoseRaces(15);

        var decision = await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1));

        Assert.Equal(16, decision.Attempts);
        Assert.Equal(new Tally(1, 1), decision.State);
        // A pause under a millisecond completes without a timer, so it is not seen here.
        Assert.InRange(clock.Pauses.Count, 1, 15);
        Assert.All(clock.Pauses, p => Assert.InRange(p, TimeSpan.Zero, TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Pauses_between_attempts_grow_with_jitter_up_to_a_tenth_of_a_second()
    {
        var clock = new PauseRecordingClock();
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), clock);
        store.LoseRaces(40);

        await typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), new DecideOptions { RetryDelay = TimeSpan.FromMilliseconds(10) });

        // Attempt n pauses a random time up to 10 ms · 2^(n-1), at most 100 ms; one under a millisecond needs no timer.
        var pauses = clock.Pauses;
        Assert.InRange(pauses.Count, 30, 40);
        Assert.All(pauses, p => Assert.InRange(p, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100)));
        Assert.True(pauses.Max() > TimeSpan.FromMilliseconds(20), "later pauses reach past the early ceilings");
        Assert.True(pauses.Distinct().Count() > pauses.Count / 2, "pauses are jittered");
        Assert.Equal(clock.Start + pauses.Aggregate(TimeSpan.Zero, (sum, p) => sum + p), clock.GetUtcNow());
    }

    [Fact]
    public async Task A_decision_that_keeps_losing_gives_up_once_its_budget_is_spent_and_stores_nothing()
    {
        var clock = new PauseRecordingClock();
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), clock);

        // Every commit takes half a second of the budget and loses.
        store.OnConflict = () => clock.Advance(TimeSpan.FromMilliseconds(500));
        store.LoseRaces(int.MaxValue);

        var error = await Assert.ThrowsAsync<DecisionConflictException>(() => typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), new DecideOptions { RetryBudget = TimeSpan.FromSeconds(5) }));

        Assert.InRange(error.Attempts, 9, 10);
        Assert.True(clock.GetUtcNow() - clock.Start <= TimeSpan.FromSeconds(5.5));
        Assert.Empty(await store.ReadStreamAsync(TallyDecider.Stream(1)).ToListAsync());
    }

    [Fact]
    public async Task MaxAttempts_still_caps_the_attempts_when_given()
    {
        var clock = new PauseRecordingClock();
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), clock);
        store.LoseRaces(int.MaxValue);

        var error = await Assert.ThrowsAsync<DecisionConflictException>(() => typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), new DecideOptions { MaxAttempts = 3 }));

        Assert.Equal(3, error.Attempts);
        Assert.InRange(clock.Pauses.Count, 0, 2);
    }

    [Fact]
    public async Task A_budget_of_zero_gives_up_at_the_first_lost_race()
    {
        await using var store = new InstrumentedEventStore(new InMemoryEventStore());
        var typed = new TypedEventStore(store, TallyDecider.Registry(), new PauseRecordingClock());
        store.LoseRaces(1);

        var error = await Assert.ThrowsAsync<DecisionConflictException>(() => typed.DecideAsync(TallyDecider.Stream(1), TallyDecider.Instance, new Add(1), new DecideOptions { RetryBudget = TimeSpan.Zero }));

        Assert.Equal(1, error.Attempts);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecideOptions { RetryBudget = TimeSpan.FromSeconds(-1) }.Validate());
    }

    /// <summary>A fake clock that records each pause asked of it and lets it pass at once, by moving itself on by it.</summary>
    private sealed class PauseRecordingClock : FakeTimeProvider
    {
        private readonly List<TimeSpan> _pauses = [];

        public List<TimeSpan> Pauses
        {
            get
            {
                lock (_pauses)
                {
                    return [.. _pauses];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_pauses)
            {
                _pauses.Add(dueTime);
            }

            var timer = base.CreateTimer(callback, state, dueTime, period);
            ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
            return timer;
        }
    }
}
