using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves tag queries where a decision depends on them: append conditions (<see cref="CommitBatch.RequireNoneAfter"/>)
/// fail exactly when brute force finds a matching event after the position, and of concurrent writers deciding on one
/// query exactly one wins while writers on disjoint queries never conflict; subscriptions deliver exactly the matching
/// events, stored and live.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class TagConditionConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected TagConditionConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many rounds the race runs.</summary>
    protected virtual int RaceRounds => 8;

    /// <summary>How many writers contend for one username in a round; as many more register usernames of their own.</summary>
    protected virtual int Contenders => 4;

    /// <summary>
    /// For random tag queries and positions, a condition fails exactly when brute-force matching over the whole log
    /// finds an event after the position, naming the latest; a batch passing it appends (events no query matches).
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Conditions_on_tag_queries_fail_exactly_when_brute_force_finds_a_later_match()
    {
        await using var store = await NewStoreAsync();
        var random = new Random(777);
        await TagWorld.FillAsync(store, random, 200);
        await store.CommitWholeOrInPartsAsync(new CommitBatch().TruncateStream(S("course.c2"), 4));
        var log = await ReadAllAsync(store);
        var head = await store.GetHeadPositionAsync();
        for (var q = 0; q < 60; q++)
        {
            var filter = TagWorld.RandomQuery(random);
            var after = random.NextInt64(0, head + 1);
            var latest = log.LastOrDefault(e => e.Position > after && filter.Matches(e))?.Position;

            // The appended event is of a stream, type and tags that no generated query matches.
            async Task Attempt() => await store.CommitAsync(new CommitBatch()
                .RequireNoneAfter(filter, after)
                .Append(S($"scratch.q{q}"), ExpectedRevision.NoStream, NewEvent("Scratch").WithTags("scratch:1")));
            if (latest is { } conflict)
            {
                var error = await Assert.ThrowsAsync<AppendConditionFailedException>(Attempt);
                Assert.Equal((after, conflict), (error.AfterPosition, error.ConflictingPosition));
            }
            else
            {
                await Attempt();
            }
        }
    }

    /// <summary>
    /// The "username taken once" race: in each round, writers read the position of a query for the username they
    /// register (<c>username:…</c> tagged <c>Registered</c>), then commit its registration on the condition that no
    /// such event follows. Of the writers registering one username exactly one wins; writers registering usernames of
    /// their own, committing at the same time, never conflict; every username is registered exactly once.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Of_writers_deciding_on_one_tag_query_exactly_one_wins_and_other_queries_never_conflict()
    {
        await using var store = await NewStoreAsync();
        using var timeout = new CancellationTokenSource(Patience * 4);
        var registered = new List<string>();
        for (var round = 0; round < RaceRounds; round++)
        {
            var contested = $"username:taken{round}";
            var usernames = Enumerable.Range(0, Contenders * 2).Select(i => i < Contenders ? contested : $"username:own{round}-{i}").ToArray();
            var outcomes = await RaceAsync<AppendConditionFailedException>(
                usernames.Length,
                async (racer, ct) =>
                {
                    var query = EventFilter.Query(["Registered"], [usernames[racer]]);
                    var seen = await store.ReadAllAsync(0, query, cancellationToken: ct).ToListAsync(ct);
                    var readUpTo = seen.Count == 0 ? 0 : seen[^1].Position;
                    Assert.Empty(seen);
                    return async () => await store.CommitAsync(
                        new CommitBatch()
                            .RequireNoneAfter(query, readUpTo)
                            .Append(S($"user.r{round}-{racer}"), ExpectedRevision.NoStream, NewEvent("Registered").WithTags(usernames[racer], $"user:r{round}-{racer}")),
                        ct);
                },
                timeout.Token);

            var winner = SingleWinner(outcomes.Where(o => o.Racer < Contenders).ToList(), $"round {round}");
            Assert.All(outcomes.Where(o => o.Racer >= Contenders), o => Assert.True(o.Won, $"In round {round}, racer {o.Racer} registering a username of its own lost: {o.Error?.Message}"));
            registered.Add($"user.r{round}-{winner.Racer}");
            registered.AddRange(Enumerable.Range(Contenders, Contenders).Select(i => $"user.r{round}-{i}"));
        }

        var all = await ReadAllAsync(store, EventFilter.ForTypes("Registered"));
        Assert.Equal(registered.Order(StringComparer.Ordinal), all.Select(e => e.Stream.Value).Order(StringComparer.Ordinal));
        Assert.All(all.GroupBy(e => e.Tags[0], StringComparer.Ordinal), g => Assert.Single(g));
    }

    /// <summary>A condition on a tag query passes when the only later events carry other tags, or the tags but another type, and fails on a later match.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_on_a_tag_query_ignores_events_that_do_not_match_it()
    {
        await using var store = await NewStoreAsync();
        var query = EventFilter.Query(["Enrolled", "Left"], ["course:c1", "student:s1"]);
        await store.AppendAsync(S("course.c1"), ExpectedRevision.NoStream, NewEvent("Enrolled").WithTags("course:c1", "student:s1"));
        var readUpTo = await store.GetHeadPositionAsync();
        await store.AppendAsync(S("course.c1"), ExpectedRevision.Any, [
            NewEvent("Enrolled").WithTags("course:c1", "student:s2"),
            NewEvent("Renamed").WithTags("course:c1", "student:s1"),
            NewEvent("Enrolled").WithTags("course:c2", "student:s1"),
            NewEvent("Enrolled").WithTags("student:s1")]);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(query, readUpTo).Append(S("audit.1"), ExpectedRevision.NoStream, NewEvent("Checked")));

        var match = await store.AppendAsync(S("course.c1"), ExpectedRevision.Any, NewEvent("Left").WithTags("region:eu", "student:s1", "course:c1"));
        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () =>
            await store.CommitAsync(new CommitBatch().RequireNoneAfter(query, readUpTo).Append(S("audit.2"), ExpectedRevision.NoStream, NewEvent("Checked"))));
        Assert.Equal(match.LastPosition, error.ConflictingPosition);
        Assert.Null(await store.GetStreamInfoAsync(S("audit.2")));
    }

    /// <summary>A condition sees the tagged events of the batches committed before it in the same group, as it sees stored ones.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Concurrent_batches_see_each_others_tagged_events_in_their_conditions()
    {
        await using var store = await NewStoreAsync();
        using var timeout = new CancellationTokenSource(Patience);
        var head = await store.GetHeadPositionAsync();
        var query = EventFilter.Tagged("seat:1a");

        // Many writers take one seat at once: however the store groups their commits, exactly one gets it.
        var outcomes = await RaceAsync<AppendConditionFailedException>(
            12,
            (racer, ct) => store.CommitAsync(new CommitBatch().RequireNoneAfter(query, head).Append(S($"booking.b{racer}"), ExpectedRevision.NoStream, NewEvent("SeatBooked").WithTags("seat:1a", $"booking:b{racer}")), ct).AsTask(),
            timeout.Token);

        SingleWinner(outcomes, "the seat race");
        Assert.Single(await ReadAllAsync(store, query));
    }

    /// <summary>A subscription with a tag query delivers exactly the matching events, stored then live, in position order.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_with_a_tag_query_delivers_exactly_the_matching_events()
    {
        await using var store = await NewStoreAsync();
        var random = new Random(99);
        var query = EventFilter.Tagged("course:c1").Or(EventFilter.Query(["Left"], ["student:s2"]));
        await TagWorld.FillAsync(store, random, 80);
        await using var subscriber = SubscriptionRecorder.Start(store, Patience, 0, query);

        await TagWorld.FillAsync(store, random, 80);
        var last = await store.AppendAsync(S("course.c1"), ExpectedRevision.Any, NewEvent("Enrolled").WithTags("course:c1"));

        var expected = (await ReadAllAsync(store)).Where(query.Matches).ToList();
        LogAssert.SameSequence(expected, await subscriber.WaitForPositionAsync(last.LastPosition), "The tag subscription");
        Assert.Equal(expected.Select(e => e.Tags), subscriber.Events.Take(expected.Count).Select(e => e.Tags));
    }
}
