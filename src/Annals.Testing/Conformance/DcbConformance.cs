using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;
using Annals.Testing.Conformance.Deciders;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// The dynamic consistency boundary examples of dcb.events, each a race: decisions over tag queries that append to
/// any stream, where exactly the decisions whose facts overlap conflict and the rules hold however many race.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class DcbConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    // A machine under load must not turn a long race into a failure: the rules are what is tested, not the budget.
    private static readonly DecideOptions Patient = new() { RetryBudget = TimeSpan.FromMinutes(2) };

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected DcbConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many decisions race in each example.</summary>
    protected virtual int Racers => 16;

    /// <summary>
    /// Unique username: racers register the same username for different users at once, and as many register usernames of
    /// their own. Exactly one of the first wins, the others are refused, and every other registration commits at its first
    /// attempt: a registration guards its username's tag, not every registration.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Unique_username_is_taken_once_and_other_usernames_never_conflict()
    {
        await using var store = await NewStoreAsync();
        var typed = new TypedEventStore(store, DcbTypes.Registry());
        var decider = new UniqueUsernameDecider();

        var outcomes = await RunTogetherAsync(Racers * 2, async (i, ct) =>
        {
            var username = i < Racers ? "ada" : $"user{i}";
            try
            {
                var decision = await typed.DecideAsync(UniqueUsernameDecider.Query(username), decider, new RegisterUser($"u{i}", username), UniqueUsernameDecider.Place, Patient, ct);
                return (i, Won: true, Attempts: decision.Attempts);
            }
            catch (UsernameInUseException)
            {
                return (i, Won: false, Attempts: 0);
            }
        }, CancellationToken.None);

        Assert.Single(outcomes, o => o.i < Racers && o.Won);
        Assert.All(outcomes.Where(o => o.i >= Racers), o => Assert.Equal((true, 1), (o.Won, o.Attempts)));
        var ada = await ReadAllAsync(store, EventFilter.Tagged("username:ada"));
        var winner = outcomes.Single(o => o.i < Racers && o.Won).i;
        Assert.Equal(StreamName.For("user", $"u{winner}"), Assert.Single(ada).Stream);
        Assert.Equal([$"user:u{winner}", "username:ada"], ada[0].Tags);
        Assert.Equal(Racers + 1, (await ReadAllAsync(store, EventFilter.ForTypes("UserRegistered"))).Count);
    }

    /// <summary>
    /// Course subscriptions: more students than seats race for one course, and one student races for more courses than
    /// allowed. Exactly the capacity wins the first race and exactly the limit the second; the subscriptions are stored in
    /// streams of their own, found by the course's and the student's tags.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Course_subscriptions_hold_the_capacity_and_the_per_student_limit_under_races()
    {
        await using var store = await NewStoreAsync();
        var typed = new TypedEventStore(store, DcbTypes.Registry());
        const int capacity = 5;
        var courses = Enumerable.Range(0, SubscriptionDecider.MaxCoursesPerStudent + 3).Select(i => $"c{i}").ToList();
        foreach (var course in courses)
        {
            await typed.DecideAsync(DefineCourseDecider.Query(course), new DefineCourseDecider(), new DefineCourse(course, capacity), e => SubscriptionDecider.Place(e), Patient);
        }

        var again = await typed.DecideAsync(DefineCourseDecider.Query("c0"), new DefineCourseDecider(), new DefineCourse("c0", 99), e => SubscriptionDecider.Place(e), Patient);
        Assert.Empty(again.Events);

        // Students s0..s(Racers-1) race for c0; student "x" races for every course.
        var seats = await RunTogetherAsync(Racers, (i, ct) => SubscribeAsync(typed, "c0", $"s{i}", ct), CancellationToken.None);
        var taken = await RunTogetherAsync(courses.Count, (i, ct) => SubscribeAsync(typed, courses[i], "x", ct), CancellationToken.None);

        Assert.Equal(capacity, seats.Count(won => won));
        Assert.Equal(SubscriptionDecider.MaxCoursesPerStudent, taken.Count(won => won));
        var c0 = await ReadAllAsync(store, EventFilter.Query(["StudentSubscribed"], ["course:c0"]));
        Assert.Equal(capacity + (taken[0] ? 1 : 0), c0.Count);
        Assert.All(c0, e => Assert.Equal("subscription", e.Stream.Category));
        Assert.Equal(SubscriptionDecider.MaxCoursesPerStudent, (await ReadAllAsync(store, EventFilter.Tagged("student:x"))).Count);
    }

    /// <summary>Gap-free invoice numbers: racers create invoices at once, and the numbers are 1 to their count, each once, each in its own stream.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Invoice_numbers_are_gap_free_and_unique_under_races()
    {
        await using var store = await NewStoreAsync();
        var typed = new TypedEventStore(store, DcbTypes.Registry());
        var decider = new InvoiceNumberDecider();

        var numbers = await RunTogetherAsync(Racers, async (i, ct) =>
            (await typed.DecideAsync(InvoiceNumberDecider.Query, decider, new CreateInvoice($"k{i}"), InvoiceNumberDecider.Place, Patient, ct)).Events.Single().Number, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, Racers).Select(n => (long)n), numbers.Order());
        var stored = await ReadAllAsync(store, InvoiceNumberDecider.Query);
        Assert.Equal(Enumerable.Range(1, Racers).Select(n => StreamName.For("invoice", $"{n}")), stored.Select(e => e.Stream).OrderBy(s => int.Parse(s.Id, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// A decision over a query reports the position it is consistent up to, the head it read past, even when the last
    /// matching event is older; a command sent again with its message id stores nothing twice.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task A_query_decision_is_consistent_up_to_the_head_and_a_resent_command_is_replayed()
    {
        await using var store = await NewStoreAsync();
        var typed = new TypedEventStore(store, DcbTypes.Registry());
        var defined = await typed.DecideAsync(DefineCourseDecider.Query("k"), new DefineCourseDecider(), new DefineCourse("k", 3), e => SubscriptionDecider.Place(e));
        await store.AppendAsync(S("noise.1"), ExpectedRevision.NoStream, NewEvents(3));
        var head = await store.GetHeadPositionAsync();

        // Nothing to decide: the course is defined at an older position, and the decision read the query up to the head.
        var unchanged = await typed.DecideAsync(DefineCourseDecider.Query("k"), new DefineCourseDecider(), new DefineCourse("k", 9), _ => throw new InvalidOperationException("nothing to place"), new DecideOptions { UseCache = false });

        Assert.Equal(defined.Position, defined.Appends.Single().LastPosition);
        Assert.True(defined.Position < head);
        Assert.Empty(unchanged.Events);
        Assert.Empty(unchanged.Appends);
        Assert.Equal(head, unchanged.Position);

        // Sent again, a command whose decision is the same is recognised; one whose decision moved on (the next invoice
        // number) fails on the ids its first send stored, and nothing is stored twice.
        var note = new MessageContext("define-m");
        var sent = await typed.DecideAsync(DefineCourseDecider.Query("m"), new DefineCourseDecider(), new DefineCourse("m", 1), e => SubscriptionDecider.Place(e), new DecideOptions { Context = note });
        var invoice = new MessageContext("invoice-1");
        var created = await typed.DecideAsync(InvoiceNumberDecider.Query, new InvoiceNumberDecider(), new CreateInvoice("k"), InvoiceNumberDecider.Place, new DecideOptions { Context = invoice });
        await Assert.ThrowsAsync<DuplicateEventIdException>(() => typed.DecideAsync(InvoiceNumberDecider.Query, new InvoiceNumberDecider(), new CreateInvoice("k"), InvoiceNumberDecider.Place, new DecideOptions { Context = invoice, UseCache = false }));

        Assert.Equal(sent.Position, (await store.ReadAllAsync(head, maxCount: 1).ToListAsync()).Single().Position);
        Assert.False(sent.Replayed);
        Assert.Equal(1, created.Events.Single().Number);
        Assert.Single(await ReadAllAsync(store, InvoiceNumberDecider.Query));
    }

    private static async Task<bool> SubscribeAsync(TypedEventStore typed, string course, string student, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await typed.DecideAsync(SubscriptionDecider.Query(course, student), new SubscriptionDecider(course, student), new SubscribeStudent(course, student), SubscriptionDecider.Place, Patient, cancellationToken);
            return decision.Events.Count == 1;
        }
        catch (SubscriptionRefusedException)
        {
            return false;
        }
    }
}
