using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves the append condition (<see cref="CommitBatch.RequireNoneAfter"/>), the dynamic consistency boundary
/// of guarantee 4: a batch fails, whole, when an event matching the filter is stored after the position, and
/// passes otherwise; the condition sees the store as it was before the batch.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class AppendConditionConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly StreamName Unrelated = StreamName.Parse("ledger.entries");

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected AppendConditionConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>A condition holds when the only events after its position do not match its filter.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_passes_when_only_non_matching_events_follow_the_position()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("course.1", "*.*.Enrolled");
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, [NewEvent("Opened"), NewEvent("Enrolled")]);
        var readUpTo = await store.GetHeadPositionAsync();
        await store.AppendAsync(S("course.2"), ExpectedRevision.NoStream, [NewEvent("Opened"), NewEvent("Closed")]);
        await store.AppendAsync(S("course.10"), ExpectedRevision.NoStream, NewEvent("Opened"));

        var decided = NewEvent("Enrolled");
        var result = await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .RequireNoneAfter(filter, readUpTo)
            .Append(S("student.1"), ExpectedRevision.NoStream, decided));

        var stored = Assert.Single(await ReadStreamAsync(store, S("student.1")));
        Assert.Equal(decided.EventId, stored.EventId);
        Assert.Equal(stored.Position, Assert.Single(result.Appends).FirstPosition);
    }

    /// <summary>
    /// A condition fails when a matching event follows its position, with an <see cref="AppendConditionFailedException"/>
    /// naming the filter, the position and the latest matching event (not the head), and nothing is stored.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_fails_naming_the_latest_matching_event_after_the_position()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("course.1", "*.*.Enrolled");
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("Opened"));
        var readUpTo = await store.GetHeadPositionAsync();
        await store.AppendAsync(S("student.1"), ExpectedRevision.NoStream, NewEvent("Enrolled"));
        var latest = await store.AppendAsync(S("course.1"), ExpectedRevision.Exact(0), [NewEvent("Renamed"), NewEvent("Moved")]);
        await store.AppendAsync(S("course.2"), ExpectedRevision.NoStream, NewEvent("Opened"));
        var before = await FingerprintAsync(store, [S("student.2")]);

        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () => await store.CommitAsync(new CommitBatch()
            .RequireNoneAfter(filter, readUpTo)
            .Append(S("student.2"), ExpectedRevision.NoStream, NewEvent("Enrolled"))));

        Assert.Equal(filter.ToString(), error.Filter.ToString());
        Assert.Equal(readUpTo, error.AfterPosition);
        Assert.Equal(latest.LastPosition, error.ConflictingPosition);
        Assert.Equal(
            $"Append condition failed: no event matching 'course.1,*.*.Enrolled' was expected after position {readUpTo}, but one was committed at position {latest.LastPosition}.",
            error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [S("student.2")]));
    }

    /// <summary>A failed condition rejects the whole batch: no append, state, checkpoint or message of it takes effect, wherever the condition sits in the batch.</summary>
    /// <param name="conditionFirst">Whether the condition comes before the other operations.</param>
    /// <returns>A task that completes when the test has run.</returns>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Failed_condition_rejects_the_whole_batch(bool conditionFirst)
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.ForTypes("Enrolled");
        var a = S("student.1");
        var b = S("student.2");
        var key = S("roster.1");
        await store.AppendAsync(a, ExpectedRevision.NoStream, NewEvent("Registered"));
        var readUpTo = await store.GetHeadPositionAsync();
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(S("student.3"), ExpectedRevision.NoStream, NewEvent("Enrolled"))
            .SaveState(key, 1, "Roster", Encoding.UTF8.GetBytes("v1"))
            .SaveCheckpoint("roster", readUpTo, null));
        var before = await FingerprintAsync(store, [a, b], [key], ["roster"], ["emails"]);

        var batch = new CommitBatch();
        if (conditionFirst)
        {
            batch.RequireNoneAfter(filter, readUpTo);
        }

        batch.Append(a, ExpectedRevision.Exact(0), NewEvent("Enrolled"))
            .Append(b, ExpectedRevision.NoStream, NewEvent("Enrolled"))
            .SaveState(key, 2, "Roster", Encoding.UTF8.GetBytes("v2"))
            .SaveCheckpoint("roster", readUpTo + 1, readUpTo)
            .Enqueue("emails", Guid.NewGuid(), "Welcome", Encoding.UTF8.GetBytes("{}"), DateTimeOffset.UnixEpoch);
        if (!conditionFirst)
        {
            batch.RequireNoneAfter(filter, readUpTo);
        }

        await store.CommitFailsAsync<AppendConditionFailedException>(batch);
        Assert.Equal(before, await FingerprintAsync(store, [a, b], [key], ["roster"], ["emails"]));
    }

    /// <summary>A batch holding only a condition commits nothing when it holds, and fails when it does not.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_alone_in_a_batch_stores_nothing_and_checks_the_condition()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("course.>");
        var first = await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("Opened"));
        await store.AppendAsync(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted"));
        var before = await FingerprintAsync(store);

        var result = await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, first.LastPosition));
        Assert.Empty(result.Appends);
        Assert.Null(result.LastPosition);
        Assert.Equal(before, await FingerprintAsync(store));

        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () => await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, first.LastPosition - 1)));
        Assert.Equal(first.LastPosition, error.ConflictingPosition);
        Assert.Equal(before, await FingerprintAsync(store));
    }

    /// <summary>
    /// A condition after position 0 holds on an empty store and while no stored event matches, and fails once one does.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_after_position_zero_holds_until_a_matching_event_exists()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("user.*.Registered");

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, 0).Append(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted")));
        await store.AppendAsync(S("user.1"), ExpectedRevision.NoStream, NewEvent("Renamed"));
        await store.AppendAsync(S("users.1"), ExpectedRevision.NoStream, NewEvent("Registered"));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, 0).Append(Unrelated, ExpectedRevision.Exact(0), NewEvent("Noted")));

        var registered = await store.AppendAsync(S("user.2"), ExpectedRevision.NoStream, NewEvent("Registered"));
        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () =>
            await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, 0).Append(Unrelated, ExpectedRevision.Exact(1), NewEvent("Noted"))));
        Assert.Equal(0, error.AfterPosition);
        Assert.Equal(registered.LastPosition, error.ConflictingPosition);
        Assert.Equal(2, (await ReadStreamAsync(store, Unrelated)).Count);
    }

    /// <summary>The position is exclusive: a condition after the latest matching event holds; one just before it fails.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_position_is_exclusive()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.ForStreams(S("course.1"));
        var matched = await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, [NewEvent("Opened"), NewEvent("Renamed")]);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, matched.LastPosition).Append(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted")));
        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () =>
            await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, matched.LastPosition - 1).Append(Unrelated, ExpectedRevision.Exact(0), NewEvent("Noted"))));
        Assert.Equal(matched.LastPosition, error.ConflictingPosition);
        Assert.Equal(matched.LastPosition - 1, error.AfterPosition);
    }

    /// <summary>
    /// Through each filter form, a condition ignores near-misses (similar categories, ids and types, other case)
    /// committed after its position, catches a matching event, and names the latest matching one even when
    /// near-misses follow it.
    /// </summary>
    /// <param name="name">The filter case.</param>
    /// <returns>A task that completes when the test has run.</returns>
    [Theory]
    [InlineData("*.*.Enrolled")]
    [InlineData("course.*.Enrolled")]
    [InlineData("course.>")]
    [InlineData("course.1")]
    [InlineData("course.1.Enrolled")]
    [InlineData("*.1")]
    [InlineData("c_urse")]
    [InlineData("ForTypes(Enrolled, Dropped)")]
    [InlineData("ForStreams(course.1, course.2)")]
    [InlineData("ForCategories(course)")]
    public async Task Condition_with_filter_ignores_near_misses_and_catches_matches(string name)
    {
        var (filter, nearMisses, hit) = Case(name);
        await using var store = await NewStoreAsync();

        // A matching event before the position: the decision was based on it.
        await store.AppendAsync(S(hit.Stream), ExpectedRevision.Any, NewEvent(hit.Type));
        var readUpTo = await store.GetHeadPositionAsync();
        foreach (var (stream, type) in nearMisses)
        {
            await store.AppendAsync(S(stream), ExpectedRevision.Any, NewEvent(type));
        }

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo).Append(Unrelated, ExpectedRevision.Any, NewEvent("Noted")));

        var match = await store.AppendAsync(S(hit.Stream), ExpectedRevision.Any, NewEvent(hit.Type));
        foreach (var (stream, type) in nearMisses)
        {
            await store.AppendAsync(S(stream), ExpectedRevision.Any, NewEvent(type));
        }

        var before = await FingerprintAsync(store);
        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () =>
            await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo).Append(Unrelated, ExpectedRevision.Any, NewEvent("Noted"))));
        Assert.Equal(match.LastPosition, error.ConflictingPosition);
        Assert.Equal(readUpTo, error.AfterPosition);
        Assert.Equal(before, await FingerprintAsync(store));
    }

    /// <summary>A condition checks the store as it was before the batch: matching events the batch itself appends do not fail it.</summary>
    /// <param name="conditionFirst">Whether the condition comes before the appends.</param>
    /// <returns>A task that completes when the test has run.</returns>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Condition_does_not_see_events_of_its_own_batch(bool conditionFirst)
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("course.1", "*.*.Enrolled");
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("Opened"));
        var readUpTo = await store.GetHeadPositionAsync();

        var batch = new CommitBatch();
        if (conditionFirst)
        {
            batch.RequireNoneAfter(filter, readUpTo);
        }

        batch.Append(S("course.1"), ExpectedRevision.Exact(0), NewEvent("SeatTaken"))
            .Append(S("student.1"), ExpectedRevision.NoStream, NewEvent("Enrolled"));
        if (!conditionFirst)
        {
            batch.RequireNoneAfter(filter, readUpTo);
        }

        var result = await store.CommitWholeOrInPartsAsync(batch);
        Assert.Equal(2, result.Appends.Count);
        Assert.Equal(3, (await ReadAllAsync(store, filter)).Count);

        // The next decision based on the same read now fails: the batch's own events came after it.
        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () =>
            await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo).Append(S("student.2"), ExpectedRevision.NoStream, NewEvent("Enrolled"))));
        Assert.Equal(result.LastPosition, error.ConflictingPosition);
    }

    /// <summary>Every condition of a batch must hold; when one fails, the error names that one.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Every_condition_of_a_batch_must_hold()
    {
        await using var store = await NewStoreAsync();
        var courses = EventFilter.ForCategories("course");
        var students = EventFilter.ForCategories("student");
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("Opened"));
        var readUpTo = await store.GetHeadPositionAsync();
        var enrolled = await store.AppendAsync(S("student.1"), ExpectedRevision.NoStream, NewEvent("Enrolled"));
        var before = await FingerprintAsync(store);

        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () => await store.CommitAsync(new CommitBatch()
            .RequireNoneAfter(courses, readUpTo)
            .RequireNoneAfter(students, readUpTo)
            .Append(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted"))));
        Assert.Equal(students.ToString(), error.Filter.ToString());
        Assert.Equal(enrolled.LastPosition, error.ConflictingPosition);
        Assert.Equal(before, await FingerprintAsync(store));

        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .RequireNoneAfter(courses, readUpTo)
            .RequireNoneAfter(students, enrolled.LastPosition)
            .Append(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted")));
        Assert.Single(await ReadStreamAsync(store, Unrelated));
    }

    /// <summary>
    /// The condition is about stored events: matching events deleted or truncated away after the position
    /// no longer fail it, while a matching event still stored does.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Condition_counts_only_events_still_stored()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.ForTypes("Enrolled");
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("Opened"));
        var readUpTo = await store.GetHeadPositionAsync();
        await store.AppendAsync(S("student.1"), ExpectedRevision.NoStream, NewEvent("Enrolled"));
        var kept = await store.AppendAsync(S("student.2"), ExpectedRevision.NoStream, [NewEvent("Enrolled"), NewEvent("Graduated")]);
        var removed = await store.AppendAsync(S("student.3"), ExpectedRevision.NoStream, NewEvent("Enrolled"));

        var error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () => await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo)));
        Assert.Equal(removed.LastPosition, error.ConflictingPosition);

        await store.DeleteStreamAsync(S("student.3"));
        error = await Assert.ThrowsAsync<AppendConditionFailedException>(async () => await store.CommitAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo)));
        Assert.Equal(kept.FirstPosition, error.ConflictingPosition);

        await store.DeleteStreamAsync(S("student.1"));
        await store.TruncateStreamAsync(S("student.2"), 1);
        await store.CommitWholeOrInPartsAsync(new CommitBatch().RequireNoneAfter(filter, readUpTo).Append(Unrelated, ExpectedRevision.NoStream, NewEvent("Noted")));
        Assert.Single(await ReadStreamAsync(store, Unrelated));
    }

    private static (EventFilter Filter, (string Stream, string Type)[] NearMisses, (string Stream, string Type) Hit) Case(string name) => name switch
    {
        "*.*.Enrolled" => (EventFilter.Subjects("*.*.Enrolled"), [("course.1", "EnrolledLate"), ("course.1", "Enrolle"), ("course.1", "enrolled")], ("student.7", "Enrolled")),
        "course.*.Enrolled" => (EventFilter.Subjects("course.*.Enrolled"), [("courses.1", "Enrolled"), ("Course.1", "Enrolled"), ("course.1", "Dropped")], ("course.2", "Enrolled")),
        "course.>" => (EventFilter.Subjects("course.>"), [("courses.1", "Enrolled"), ("Course.1", "Enrolled"), ("cours.1", "Enrolled")], ("course.9", "Renamed")),
        "course.1" => (EventFilter.Subjects("course.1"), [("course.10", "Enrolled"), ("course.11", "Enrolled"), ("courses.1", "Enrolled")], ("course.1", "Dropped")),
        "course.1.Enrolled" => (EventFilter.Subjects("course.1.Enrolled"), [("course.1", "Dropped"), ("course.10", "Enrolled"), ("course.1", "EnrolledLate")], ("course.1", "Enrolled")),
        "*.1" => (EventFilter.Subjects("*.1"), [("course.10", "Enrolled"), ("course.11", "Enrolled"), ("student.01", "Enrolled")], ("student.1", "Renamed")),
        "c_urse" => (EventFilter.Subjects("c_urse"), [("course.1", "Enrolled"), ("cXurse.1", "Enrolled"), ("c_urses.1", "Enrolled")], ("c_urse.1", "Enrolled")),
        "ForTypes(Enrolled, Dropped)" => (EventFilter.ForTypes("Enrolled", "Dropped"), [("course.1", "Opened"), ("x.1", "EnrolledLate"), ("x.1", "Droppe")], ("x.2", "Dropped")),
        "ForStreams(course.1, course.2)" => (EventFilter.ForStreams(S("course.1"), S("course.2")), [("course.3", "Enrolled"), ("course.10", "Enrolled"), ("course.20", "Enrolled")], ("course.2", "Renamed")),
        "ForCategories(course)" => (EventFilter.ForCategories("course"), [("courses.1", "Enrolled"), ("cours.1", "Enrolled"), ("Course.1", "Enrolled")], ("course.5", "Renamed")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such filter case."),
    };
}
