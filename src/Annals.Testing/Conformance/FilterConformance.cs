using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves that reads of the log and subscriptions apply every filter form exactly: subject patterns with
/// <c>*</c> and <c>&gt;</c>, stream, category and type sets, parsed lists and unions. The store holds names
/// built to catch prefix matching, case folding and SQL <c>LIKE</c> wildcards (<c>_</c>, <c>%</c>).
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class FilterConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    // Batches of appends; near-misses sit next to each other: account/accounts/Account, 1/10, 50%/500,
    // acc_unt/accxunt, Deposited/DepositedLate/Dep_sited.
    private static readonly (string Stream, string[] Types)[][] Seed =
    [
        [("account.1", ["Opened"]), ("account.2", ["Opened"])],
        [("account.1", ["Deposited", "Withdrawn"])],
        [("order.1", ["Placed"]), ("account.10", ["Deposited"]), ("accounts.1", ["Deposited"])],
        [("Account.1", ["Deposited"])],
        [("acc_unt.1", ["Opened"]), ("accxunt.1", ["Opened"])],
        [("account.50%", ["Deposited"])],
        [("account.500", ["Deposited"]), ("order.2", ["Placed"])],
        [("account.2", ["DepositedLate", "Deposited"])],
        [("account.1", ["Dep_sited"])],
        [("order.1", ["Shipped", "Deposited"])],
        [("accounts.1", ["Withdrawn"]), ("account.1", ["Deposited"])],
        [("order.10", ["Placed"]), ("acc_unt.1", ["Deposited"])],
    ];

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected FilterConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Reading the log through a filter returns exactly the events the filter's rule selects, in position order.</summary>
    /// <param name="name">The filter case.</param>
    /// <returns>A task that completes when the test has run.</returns>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ReadAllAsync_through_a_filter_returns_exactly_the_matching_events(string name)
    {
        var (filter, rule) = Case(name);
        await using var store = await NewStoreAsync();
        await SeedAsync(store, Seed);

        var log = await ReadAllAsync(store);
        var expected = log.Where(rule).ToList();
        AssertNotVacuous(name, filter, expected, log);
        LogAssert.SameSequence(expected, await ReadAllAsync(store, filter), $"ReadAllAsync through '{name}'");
    }

    /// <summary>Subscribing through a filter delivers exactly the events the filter's rule selects, stored and live, in position order.</summary>
    /// <param name="name">The filter case.</param>
    /// <returns>A task that completes when the test has run.</returns>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task SubscribeAsync_through_a_filter_delivers_exactly_the_matching_events(string name)
    {
        var (filter, rule) = Case(name);
        await using var store = await NewStoreAsync();
        var half = Seed.Length / 2;
        await SeedAsync(store, Seed[..half]);
        await using var subscriber = SubscriptionRecorder.Start(store, Patience, 0, filter);
        await SeedAsync(store, Seed[half..]);

        // A last event like the last matching one matches too; once it is delivered, nothing before it is pending.
        var last = (await ReadAllAsync(store)).Last(rule);
        var sentinel = NewEvent(last.Type);
        await store.AppendAsync(last.Stream, ExpectedRevision.Any, sentinel);

        var delivered = await subscriber.WaitForEventAsync(sentinel.EventId);
        var log = await ReadAllAsync(store);
        var expected = log.Where(rule).ToList();
        AssertNotVacuous(name, filter, expected, log);
        LogAssert.SameSequence(expected, delivered, $"SubscribeAsync through '{name}'");
    }

    /// <summary>A read through a filter honours its exclusive start position and its count, and pages through the matches exactly.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task ReadAllAsync_combines_after_position_filter_and_max_count()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store, Seed);
        var filter = EventFilter.Subjects("account.>", "*.*.Placed");
        var log = await ReadAllAsync(store);
        var matching = log.Where(e => e.Stream.Category == "account" || e.Type == "Placed").ToList();
        Assert.True(matching.Count > 6);

        async Task Check(long after, int maxCount)
        {
            var expected = matching.Where(e => e.Position > after).Take(maxCount).ToList();
            var actual = await store.ReadAllAsync(after, filter, maxCount).ToListAsync();
            LogAssert.SameSequence(expected, actual, $"ReadAllAsync(after {after}, filter, max {maxCount})");
        }

        await Check(matching[2].Position, 3);
        await Check(matching[2].Position - 1, 3);
        await Check(log.First(e => !filter.Matches(e) && e.Position > matching[3].Position).Position, 2);
        await Check(matching[^2].Position, 5);
        await Check(matching[^1].Position, 5);
        await Check(0, 0);
        await Check(log[^1].Position + 10, 5);

        var paged = new List<RecordedEvent>();
        var position = 0L;
        while (true)
        {
            var page = await store.ReadAllAsync(position, filter, 2).ToListAsync();
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 2);
            paged.AddRange(page);
            position = page[^1].Position;
        }

        LogAssert.SameSequence(matching, paged, "Paging through the filter two at a time");
    }

    /// <summary>Malformed patterns are rejected when the filter is made, with an <see cref="InvalidFilterException"/> naming the pattern.</summary>
    /// <param name="pattern">The malformed pattern.</param>
    [Theory]
    [InlineData("")]
    [InlineData("a.b.c.d")]
    [InlineData("a.>.b")]
    [InlineData(">.a")]
    [InlineData("a*")]
    [InlineData("acc ount")]
    [InlineData("account.1 2")]
    [InlineData("account.1.Bad!")]
    public void Malformed_pattern_is_rejected_with_InvalidFilterException(string pattern)
    {
        Assert.Equal(pattern, Assert.Throws<InvalidFilterException>(() => SubjectPattern.Parse(pattern)).Pattern);
        Assert.Equal(pattern, Assert.Throws<InvalidFilterException>(() => EventFilter.Subjects(pattern)).Pattern);
        Assert.Equal(pattern, Assert.Throws<InvalidFilterException>(() => EventFilter.Parse("account.>," + pattern)).Pattern);
    }

    /// <summary>The errors for a malformed filter say what is wrong, and empty filters are refused.</summary>
    [Fact]
    public void Invalid_filter_errors_say_what_is_wrong()
    {
        Assert.Equal(
            "Invalid filter 'a.b.c.d': a subject has at most 3 tokens (category.id.type) and this pattern has 4.",
            Assert.Throws<InvalidFilterException>(() => EventFilter.Subjects("a.b.c.d")).Message);
        Assert.Equal(
            "Invalid filter 'a.>.b': '>' may only be the last token.",
            Assert.Throws<InvalidFilterException>(() => EventFilter.Parse("a.>.b")).Message);
        Assert.Throws<InvalidFilterException>(() => EventFilter.Subjects());
        Assert.Throws<InvalidFilterException>(() => EventFilter.ForStreams());
        Assert.Throws<InvalidFilterException>(() => EventFilter.ForCategories());
        Assert.Throws<InvalidFilterException>(() => EventFilter.ForTypes());
        Assert.Equal("bad.category", Assert.Throws<InvalidFilterException>(() => EventFilter.ForCategories("bad.category")).Pattern);
        Assert.Equal("Bad type", Assert.Throws<InvalidFilterException>(() => EventFilter.ForTypes("Bad type")).Pattern);
    }

    /// <summary>The names of the filter cases, for the theories.</summary>
    /// <returns>One row per case.</returns>
    public static TheoryData<string> CaseNames() =>
    [
        "All",
        ">",
        "account",
        "account.1",
        "account.1.Deposited",
        "*.*.Deposited",
        "account.*.Deposited",
        "*.1",
        "*.1.Deposited",
        "account.>",
        "account.*",
        "acc_unt",
        "account.50%",
        "ForTypes(Dep_sited)",
        "Subjects(accounts, *.10, account.2.DepositedLate)",
        "ForStreams(account.1, order.2)",
        "ForCategories(account, order)",
        "ForTypes(Deposited, Opened)",
        "Parse(account.>,*.*.Withdrawn)",
        "Parse(order, account.2.Deposited)",
        "ForStreams(order.1).Or(ForTypes(Opened))",
        "Subjects(*.*.Shipped).Or(Subjects(account.1))",
        "ForTypes(Placed).Or(All)",
    ];

    private static (EventFilter Filter, Func<RecordedEvent, bool> Rule) Case(string name) => name switch
    {
        "All" => (EventFilter.All, _ => true),
        ">" => (EventFilter.Subjects(">"), _ => true),
        "account" => (EventFilter.Subjects("account"), e => e.Stream.Category == "account"),
        "account.1" => (EventFilter.Subjects("account.1"), e => e.Stream.Value == "account.1"),
        "account.1.Deposited" => (EventFilter.Subjects("account.1.Deposited"), e => e.Stream.Value == "account.1" && e.Type == "Deposited"),
        "*.*.Deposited" => (EventFilter.Subjects("*.*.Deposited"), e => e.Type == "Deposited"),
        "account.*.Deposited" => (EventFilter.Subjects("account.*.Deposited"), e => e.Stream.Category == "account" && e.Type == "Deposited"),
        "*.1" => (EventFilter.Subjects("*.1"), e => e.Stream.Id == "1"),
        "*.1.Deposited" => (EventFilter.Subjects("*.1.Deposited"), e => e.Stream.Id == "1" && e.Type == "Deposited"),
        "account.>" => (EventFilter.Subjects("account.>"), e => e.Stream.Category == "account"),
        "account.*" => (EventFilter.Subjects("account.*"), e => e.Stream.Category == "account"),
        "acc_unt" => (EventFilter.Subjects("acc_unt"), e => e.Stream.Category == "acc_unt"),
        "account.50%" => (EventFilter.Subjects("account.50%"), e => e.Stream.Value == "account.50%"),
        "ForTypes(Dep_sited)" => (EventFilter.ForTypes("Dep_sited"), e => e.Type == "Dep_sited"),
        "Subjects(accounts, *.10, account.2.DepositedLate)" => (
            EventFilter.Subjects("accounts", "*.10", "account.2.DepositedLate"),
            e => e.Stream.Category == "accounts" || e.Stream.Id == "10" || (e.Stream.Value == "account.2" && e.Type == "DepositedLate")),
        "ForStreams(account.1, order.2)" => (EventFilter.ForStreams(S("account.1"), S("order.2")), e => e.Stream.Value is "account.1" or "order.2"),
        "ForCategories(account, order)" => (EventFilter.ForCategories("account", "order"), e => e.Stream.Category is "account" or "order"),
        "ForTypes(Deposited, Opened)" => (EventFilter.ForTypes("Deposited", "Opened"), e => e.Type is "Deposited" or "Opened"),
        "Parse(account.>,*.*.Withdrawn)" => (EventFilter.Parse("account.>,*.*.Withdrawn"), e => e.Stream.Category == "account" || e.Type == "Withdrawn"),
        "Parse(order, account.2.Deposited)" => (EventFilter.Parse("order, account.2.Deposited"), e => e.Stream.Category == "order" || (e.Stream.Value == "account.2" && e.Type == "Deposited")),
        "ForStreams(order.1).Or(ForTypes(Opened))" => (EventFilter.ForStreams(S("order.1")).Or(EventFilter.ForTypes("Opened")), e => e.Stream.Value == "order.1" || e.Type == "Opened"),
        "Subjects(*.*.Shipped).Or(Subjects(account.1))" => (EventFilter.Subjects("*.*.Shipped").Or(EventFilter.Subjects("account.1")), e => e.Type == "Shipped" || e.Stream.Value == "account.1"),
        "ForTypes(Placed).Or(All)" => (EventFilter.ForTypes("Placed").Or(EventFilter.All), _ => true),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such filter case."),
    };

    private static void AssertNotVacuous(string name, EventFilter filter, List<RecordedEvent> expected, List<RecordedEvent> log)
    {
        Assert.True(expected.Count > 0, $"The case '{name}' selects nothing from the seeded log.");
        if (!filter.MatchesAll)
        {
            Assert.True(expected.Count < log.Count, $"The case '{name}' selects the whole seeded log.");
        }
    }

    private static async Task SeedAsync(IEventStore store, IEnumerable<(string Stream, string[] Types)[]> batches)
    {
        foreach (var appends in batches)
        {
            var batch = new CommitBatch();
            foreach (var (stream, types) in appends)
            {
                batch.Append(S(stream), ExpectedRevision.Any, types.Select(t => NewEvent(t)));
            }

            await store.CommitWholeOrInPartsAsync(batch).ConfigureAwait(false);
        }
    }
}
