using Annals.Leases;
using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a lease manager honours the lease contract: one live owner per name, the same owner may
/// acquire again, renewals extend, a lapsed lease passes to another owner with a higher fencing
/// token, a tenure that ended can neither renew nor release its successor, a release frees the
/// lease at once, and of owners racing for a lease exactly one wins.
/// A backend runs it with a one-line subclass:
/// <c>public sealed class Leases(MyLeaseFixture f) : LeaseConformance&lt;MyLeaseFixture&gt;(f);</c>
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class LeaseConformance<TFixture> : IClassFixture<TFixture>
    where TFixture : class, ILeaseFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected LeaseConformance(TFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
    }

    /// <summary>The backend's fixture.</summary>
    protected TFixture Fixture { get; }

    /// <summary>A duration no test outlives: a lease acquired for it stays live for the whole test.</summary>
    protected virtual TimeSpan LongDuration => TimeSpan.FromMinutes(10);

    /// <summary>
    /// A duration the tests wait out to see a lease lapse (a real wait on a real clock), long
    /// enough that the checks made while the lease should still be live run before it lapses.
    /// </summary>
    protected virtual TimeSpan ShortDuration => TimeSpan.FromSeconds(2);

    /// <summary>How many owners race for one lease in the race tests.</summary>
    protected virtual int Racers => 16;

    /// <summary>How many times the owners race for a free lease.</summary>
    protected virtual int RaceRounds => 10;

    /// <summary>How long a race may take before the test fails.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(30);

    /// <summary>A free lease is acquired with token 1 and an expiry of the manager's now plus the duration, and reads back.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_free_lease_is_acquired_with_token_1_until_now_plus_the_duration()
    {
        var leases = await Fixture.CreateManagerAsync();
        Assert.Null(await leases.ReadAsync("orders"));

        var before = await Fixture.GetNowAsync(leases);
        var lease = await leases.TryAcquireAsync("orders", "node-a", LongDuration);
        var after = await Fixture.GetNowAsync(leases);

        Assert.NotNull(lease);
        Assert.Equal(("orders", "node-a", 1L), (lease.Name, lease.Owner, lease.Token));
        Assert.InRange(lease.ExpiresAt - LongDuration, before, after);
        Assert.Equal(lease, await leases.ReadAsync("orders"));
    }

    /// <summary>AcquireAsync on a free lease acquires it just as TryAcquireAsync does.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task AcquireAsync_acquires_a_free_lease()
    {
        var leases = await Fixture.CreateManagerAsync();

        var lease = await leases.AcquireAsync("projections/orders", "node-a", LongDuration);

        Assert.Equal(("projections/orders", "node-a", 1L), (lease.Name, lease.Owner, lease.Token));
        Assert.Equal(lease, await leases.ReadAsync("projections/orders"));
    }

    /// <summary>While a lease is live, another owner gets null from TryAcquireAsync, and the holder keeps it unchanged.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_second_owner_is_refused_while_the_lease_is_live()
    {
        var leases = await Fixture.CreateManagerAsync();
        var held = await leases.AcquireAsync("orders", "node-a", LongDuration);

        Assert.Null(await leases.TryAcquireAsync("orders", "node-b", LongDuration));
        Assert.Null(await leases.TryAcquireAsync("orders", "node-A", LongDuration));

        Assert.Equal(held, await leases.ReadAsync("orders"));
    }

    /// <summary>AcquireAsync by another owner of a live lease fails with StoreLockedException naming the lease, the holder, its token and expiry.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task AcquireAsync_by_a_second_owner_fails_naming_the_holder()
    {
        var leases = await Fixture.CreateManagerAsync();
        var held = await leases.AcquireAsync("projections/orders", "node-a", LongDuration);

        var error = await Assert.ThrowsAsync<StoreLockedException>(async () => await leases.AcquireAsync("projections/orders", "node-b", LongDuration));

        Assert.Equal("projections/orders", error.Resource);
        Assert.Equal(
            $"The lease 'projections/orders' is held by 'node-a' (token 1) until {held.ExpiresAt:O}; it can be acquired once it lapses or is released.",
            error.Message);
        Assert.Equal(held, await leases.ReadAsync("projections/orders"));
    }

    /// <summary>The holder acquiring its live lease again starts a new tenure with a higher token; the old tenure can no longer renew.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task The_same_owner_acquires_its_live_lease_again_under_a_higher_token()
    {
        var leases = await Fixture.CreateManagerAsync();
        var first = await leases.AcquireAsync("orders", "node-a", LongDuration);

        var second = await leases.TryAcquireAsync("orders", "node-a", LongDuration);
        var third = await leases.AcquireAsync("orders", "node-a", LongDuration);

        Assert.NotNull(second);
        Assert.Equal(("node-a", 2L), (second.Owner, second.Token));
        Assert.Equal(("node-a", 3L), (third.Owner, third.Token));
        Assert.Equal(third, await leases.ReadAsync("orders"));
        var error = await Assert.ThrowsAsync<LeaseLostException>(async () => await leases.RenewAsync(first, LongDuration));
        Assert.Equal(third, error.CurrentHolder);
        Assert.Equal(third.Token, (await leases.RenewAsync(third, LongDuration)).Token);
    }

    /// <summary>A renewal keeps the token and moves the expiry to now plus the new duration, so the lease outlives its first expiry.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Renew_extends_the_lease_past_its_first_expiry_and_keeps_the_token()
    {
        var leases = await Fixture.CreateManagerAsync();
        var lease = await leases.AcquireAsync("orders", "node-a", ShortDuration);

        var before = await Fixture.GetNowAsync(leases);
        var renewed = await leases.RenewAsync(lease, LongDuration);
        var after = await Fixture.GetNowAsync(leases);
        await Fixture.WaitUntilAsync(leases, lease.ExpiresAt);

        Assert.Equal(lease with { ExpiresAt = renewed.ExpiresAt }, renewed);
        Assert.InRange(renewed.ExpiresAt - LongDuration, before, after);
        Assert.Null(await leases.TryAcquireAsync("orders", "node-b", LongDuration));
        Assert.Equal(renewed, await leases.ReadAsync("orders"));
    }

    /// <summary>A renewal may also shorten the lease: the expiry is always now plus the duration given.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Renew_with_a_shorter_duration_brings_the_expiry_forward()
    {
        var leases = await Fixture.CreateManagerAsync();
        var lease = await leases.AcquireAsync("orders", "node-a", LongDuration);

        var renewed = await leases.RenewAsync(lease, ShortDuration);
        await Fixture.WaitUntilAsync(leases, renewed.ExpiresAt);

        Assert.True(renewed.ExpiresAt < lease.ExpiresAt, $"Renewed to {renewed.ExpiresAt:O}, not before {lease.ExpiresAt:O}.");
        Assert.Null(await leases.ReadAsync("orders"));
        Assert.Equal(2L, (await leases.AcquireAsync("orders", "node-b", LongDuration)).Token);
    }

    /// <summary>A lapsed lease is free: another owner acquires it with a higher token, and it was refused until then.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_lapsed_lease_is_taken_over_by_another_owner_with_a_higher_token()
    {
        var leases = await Fixture.CreateManagerAsync();
        var first = await leases.AcquireAsync("orders", "node-a", ShortDuration);
        Assert.Null(await leases.TryAcquireAsync("orders", "node-b", LongDuration));

        await Fixture.WaitUntilAsync(leases, first.ExpiresAt);
        Assert.Null(await leases.ReadAsync("orders"));
        var before = await Fixture.GetNowAsync(leases);
        var taken = await leases.TryAcquireAsync("orders", "node-b", LongDuration);

        Assert.NotNull(taken);
        Assert.Equal(("node-b", 2L), (taken.Owner, taken.Token));
        Assert.True(taken.ExpiresAt - LongDuration >= before, "The new tenure must start at the takeover.");
        Assert.Equal(taken, await leases.ReadAsync("orders"));
    }

    /// <summary>Renewing a tenure after another owner took the lapsed lease fails with LeaseLostException naming the new holder, and changes nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Renew_after_a_takeover_fails_with_LeaseLostException_naming_the_new_holder()
    {
        var leases = await Fixture.CreateManagerAsync();
        var first = await leases.AcquireAsync("orders", "node-a", ShortDuration);
        await Fixture.WaitUntilAsync(leases, first.ExpiresAt);
        var taken = await leases.AcquireAsync("orders", "node-b", LongDuration);

        var error = await Assert.ThrowsAsync<LeaseLostException>(async () => await leases.RenewAsync(first, LongDuration));

        Assert.Equal("The lease 'orders' held by 'node-a' (token 1) is lost: 'node-b' holds it now (token 2).", error.Message);
        Assert.Equal(first, error.Lease);
        Assert.Equal(taken, error.CurrentHolder);
        Assert.Equal(taken, await leases.ReadAsync("orders"));
        Assert.False(await leases.ReleaseAsync(first));
        Assert.Equal(taken, await leases.ReadAsync("orders"));
    }

    /// <summary>A lapsed lease that nobody took is renewed under the same token: no other tenure came in between.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_lapsed_lease_nobody_took_is_renewed_under_the_same_token()
    {
        var leases = await Fixture.CreateManagerAsync();
        var lease = await leases.AcquireAsync("orders", "node-a", ShortDuration);
        await Fixture.WaitUntilAsync(leases, lease.ExpiresAt);
        Assert.Null(await leases.ReadAsync("orders"));

        var renewed = await leases.RenewAsync(lease, LongDuration);

        Assert.Equal(1L, renewed.Token);
        Assert.Equal(renewed, await leases.ReadAsync("orders"));
        Assert.Null(await leases.TryAcquireAsync("orders", "node-b", LongDuration));
    }

    /// <summary>A release frees the lease at once: another owner acquires it without waiting, under a higher token.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Release_frees_the_lease_at_once()
    {
        var leases = await Fixture.CreateManagerAsync();
        var held = await leases.AcquireAsync("orders", "node-a", LongDuration);

        Assert.True(await leases.ReleaseAsync(held));

        Assert.Null(await leases.ReadAsync("orders"));
        var next = await leases.TryAcquireAsync("orders", "node-b", LongDuration);
        Assert.NotNull(next);
        Assert.Equal(("node-b", 2L), (next.Owner, next.Token));
    }

    /// <summary>A released tenure can be released again (nothing happens) but not renewed.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_released_tenure_cannot_be_renewed_and_releasing_it_again_changes_nothing()
    {
        var leases = await Fixture.CreateManagerAsync();
        var held = await leases.AcquireAsync("orders", "node-a", LongDuration);
        Assert.True(await leases.ReleaseAsync(held));

        Assert.False(await leases.ReleaseAsync(held));
        var error = await Assert.ThrowsAsync<LeaseLostException>(async () => await leases.RenewAsync(held, LongDuration));

        Assert.Equal("The lease 'orders' held by 'node-a' (token 1) is lost: it was released or acquired again since, and is free now.", error.Message);
        Assert.Null(error.CurrentHolder);
        Assert.Null(await leases.ReadAsync("orders"));
    }

    /// <summary>Tokens keep increasing over releases and owners: a name never hands out a token twice.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Tokens_keep_increasing_across_releases_and_owners()
    {
        var leases = await Fixture.CreateManagerAsync();
        var tokens = new List<long>();

        foreach (var owner in new[] { "node-a", "node-b", "node-a", "node-a", "node-c" })
        {
            var lease = await leases.AcquireAsync("orders", owner, LongDuration);
            tokens.Add(lease.Token);
            Assert.True(await leases.ReleaseAsync(lease));
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], tokens);
    }

    /// <summary>Leases of different names, also differing only in case, are independent.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Leases_of_different_names_are_independent()
    {
        var leases = await Fixture.CreateManagerAsync();
        string[] names = ["orders", "Orders", "orders.v2", "orders:v2", "orders/v2", "orders-v2", new string('x', 199) + "/"];

        var held = new List<Lease>();
        for (var i = 0; i < names.Length; i++)
        {
            held.Add(await leases.AcquireAsync(names[i], $"node-{i}", LongDuration));
        }

        Assert.True(await leases.ReleaseAsync(held[0]));
        Assert.Null(await leases.ReadAsync(names[0]));
        for (var i = 1; i < names.Length; i++)
        {
            Assert.Equal(held[i], await leases.ReadAsync(names[i]));
            Assert.Equal(1L, held[i].Token);
        }
    }

    /// <summary>Of many owners racing for a free lease, exactly one wins (token 1), every round; the lease reads back as the winner's.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Of_owners_racing_for_a_free_lease_exactly_one_wins()
    {
        var leases = await Fixture.CreateManagerAsync();
        using var timeout = new CancellationTokenSource(Patience);

        for (var round = 0; round < RaceRounds; round++)
        {
            var name = $"race-{round}";
            var results = await RaceAsync(i => leases.TryAcquireAsync(name, $"node-{i}", LongDuration, timeout.Token).AsTask(), timeout.Token);

            var winners = results.Where(r => r is not null).ToList();
            Assert.True(winners.Count == 1, $"In round {round}, {winners.Count} of {Racers} owners acquired the lease; exactly one should.");
            Assert.Equal(1L, winners[0]!.Token);
            Assert.Equal(winners[0], await leases.ReadAsync(name, timeout.Token));
        }
    }

    /// <summary>Of many owners racing with AcquireAsync, exactly one wins and every other is told the winner's name.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Of_owners_racing_with_AcquireAsync_the_losers_are_told_the_winner()
    {
        var leases = await Fixture.CreateManagerAsync();
        using var timeout = new CancellationTokenSource(Patience);

        async Task<(Lease? Lease, StoreLockedException? Error)> AcquireAsync(int racer)
        {
            try
            {
                return (await leases.AcquireAsync("orders", $"node-{racer}", LongDuration, timeout.Token), null);
            }
            catch (StoreLockedException e)
            {
                return (null, e);
            }
        }

        var results = await RaceAsync(AcquireAsync, timeout.Token);

        var winner = Assert.Single(results, r => r.Lease is not null).Lease!;
        Assert.All(
            results.Where(r => r.Lease is null),
            r => Assert.StartsWith($"The lease 'orders' is held by '{winner.Owner}' (token 1) until ", r.Error!.Message, StringComparison.Ordinal));
    }

    /// <summary>Of many owners racing for a lapsed lease, exactly one takes it over, under the next token.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Of_owners_racing_for_a_lapsed_lease_exactly_one_takes_it_over()
    {
        var leases = await Fixture.CreateManagerAsync();
        var first = await leases.AcquireAsync("orders", "node-old", ShortDuration);
        await Fixture.WaitUntilAsync(leases, first.ExpiresAt);
        using var timeout = new CancellationTokenSource(Patience);

        var results = await RaceAsync(i => leases.TryAcquireAsync("orders", $"node-{i}", LongDuration, timeout.Token).AsTask(), timeout.Token);

        var winner = Assert.Single(results, r => r is not null)!;
        Assert.Equal(2L, winner.Token);
        Assert.Equal(winner, await leases.ReadAsync("orders", timeout.Token));
        await Assert.ThrowsAsync<LeaseLostException>(async () => await leases.RenewAsync(first, LongDuration, timeout.Token));
    }

    /// <summary>A malformed lease name is rejected with InvalidNameException (kind Consumer) by every call that takes a name.</summary>
    /// <param name="name">The malformed name.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData("")]
    [InlineData("orders v2")]
    [InlineData("orders*")]
    [InlineData("orders>")]
    [InlineData("ordérs")]
    [InlineData("orders\n")]
    public async Task A_malformed_name_is_rejected(string name)
    {
        var leases = await Fixture.CreateManagerAsync();

        var errors = new[]
        {
            await Assert.ThrowsAsync<InvalidNameException>(async () => await leases.TryAcquireAsync(name, "node-a", LongDuration)),
            await Assert.ThrowsAsync<InvalidNameException>(async () => await leases.AcquireAsync(name, "node-a", LongDuration)),
            await Assert.ThrowsAsync<InvalidNameException>(async () => await leases.ReadAsync(name)),
        };

        Assert.All(errors, e => Assert.Equal((NameKind.Consumer, name), (e.Kind, e.Name)));
    }

    /// <summary>A name longer than 200 characters is rejected with a message saying so; 200 is accepted.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_name_longer_than_200_characters_is_rejected()
    {
        var leases = await Fixture.CreateManagerAsync();
        var longest = new string('x', 200);

        var error = await Assert.ThrowsAsync<InvalidNameException>(async () => await leases.TryAcquireAsync(longest + "x", "node-a", LongDuration));

        Assert.Equal($"Invalid consumer name '{longest}x': the name is 201 characters long; at most 200 are allowed.", error.Message);
        Assert.NotNull(await leases.TryAcquireAsync(longest, "node-a", LongDuration));
    }

    /// <summary>A null name, owner or lease, a malformed owner and a duration out of range are rejected with argument errors.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Bad_arguments_are_rejected()
    {
        var leases = await Fixture.CreateManagerAsync();
        var held = await leases.AcquireAsync("orders", "node-a", LongDuration);

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await leases.TryAcquireAsync(null!, "node-a", LongDuration));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await leases.TryAcquireAsync("other", null!, LongDuration));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await leases.RenewAsync(null!, LongDuration));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await leases.ReleaseAsync(null!));
        foreach (var owner in new[] { "", new string('o', 201), "node\na" })
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(async () => await leases.AcquireAsync("other", owner, LongDuration));
            Assert.Equal("owner", error.ParamName);
        }

        foreach (var duration in new[] { TimeSpan.Zero, TimeSpan.FromMilliseconds(-1), TimeSpan.FromTicks(9_999), TimeSpan.FromDays(1) + TimeSpan.FromTicks(1) })
        {
            var acquire = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await leases.TryAcquireAsync("other", "node-a", duration));
            var renew = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await leases.RenewAsync(held, duration));
            Assert.Equal(("duration", "duration"), (acquire.ParamName, renew.ParamName));
        }

        Assert.Equal(held, await leases.ReadAsync("orders"));
        Assert.Null(await leases.ReadAsync("other"));
        Assert.NotNull(await leases.TryAcquireAsync("other", new string('o', 200), TimeSpan.FromDays(1)));
    }

    /// <summary>Starts one attempt per racer on the thread pool, releases them together, and collects their results in racer order.</summary>
    /// <typeparam name="T">What an attempt returns.</typeparam>
    /// <param name="attempt">What racer <c>i</c> does once released.</param>
    /// <param name="cancellationToken">Gives up waiting when cancelled.</param>
    /// <returns>The results, in racer order.</returns>
    private async Task<T[]> RaceAsync<T>(Func<int, Task<T>> attempt, CancellationToken cancellationToken)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, Racers).Select(i => Task.Run(
            async () =>
            {
                await go.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return await attempt(i).ConfigureAwait(false);
            },
            cancellationToken)).ToArray();
        go.SetResult();
        return await Task.WhenAll(racers).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
