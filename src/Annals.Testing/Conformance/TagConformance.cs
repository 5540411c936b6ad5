using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves the tags of events: stored and read back exactly, refused before any I/O when malformed, and found by tag
/// queries exactly as <see cref="EventFilter.Matches(RecordedEvent)"/> selects them, also once events are truncated
/// or deleted.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class TagConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected TagConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many random queries the oracle test compares with brute force.</summary>
    protected virtual int OracleQueries => 150;

    /// <summary>Tags are read back exactly as appended, in their order, by stream reads, log reads and tag queries; untagged events read back with none.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Tags_round_trip_exactly()
    {
        await using var store = await NewStoreAsync();
        string[][] tagSets =
        [
            ["course:c1"],
            ["student:s7", "course:c1"],
            ["a.b*c>d,e;f\"g'h\\i", "caf\u00E9", "cafe\u0301", "\U0001F600", "\u4E2D\u6587", "x", new string('t', EventStoreLimits.MaxTagLength)],
            [.. Enumerable.Range(0, EventStoreLimits.MaxTagsPerEvent).Select(i => $"many:{i}")],
            [],
        ];
        var events = tagSets.Select(tags => NewEvent("Tagged").WithTags(tags)).ToArray();
        await store.AppendAsync(S("course.c1"), ExpectedRevision.NoStream, events);
        await store.AppendAsync(S("course.c2"), ExpectedRevision.NoStream, EventData.FromText("Plain", "{}"));

        var read = await ReadStreamAsync(store, S("course.c1"));
        var logged = await ReadAllAsync(store);
        for (var i = 0; i < tagSets.Length; i++)
        {
            Assert.Equal(tagSets[i], read[i].Tags);
            Assert.Equal(tagSets[i], logged[i].Tags);
            Assert.Equal(tagSets[i], events[i].Tags);
        }

        Assert.Empty(logged[^1].Tags);
        foreach (var tags in tagSets.Where(t => t.Length > 0))
        {
            foreach (var tag in tags)
            {
                var found = await ReadAllAsync(store, EventFilter.Tagged(tag));
                Assert.Equal(tagSets.Select((t, i) => (t, i)).Where(x => x.t.Contains(tag)).Select(x => events[x.i].EventId), found.Select(e => e.EventId));
                Assert.All(found, e => Assert.Equal(events.Single(x => x.EventId == e.EventId).Tags, e.Tags));
            }
        }
    }

    /// <summary>
    /// Generated tags that break the rule (empty, too long, whitespace, control and format characters, unpaired
    /// surrogates) are refused with <see cref="InvalidNameException"/> of kind <see cref="NameKind.Tag"/> when the event
    /// is made, as are a tag given twice and more tags than the limit; the valid ones are stored and read back.
    /// A batch built with one bad event stores nothing.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Invalid_tags_are_refused_before_anything_is_written()
    {
        await using var store = await NewStoreAsync();
        var hostile = new HostileText(20_261_206);
        var candidates = hostile.Take(400);
        candidates.AddRange(["", " ", "a b", "a\tb", "\n", "a\u00A0b", "a\u3000b", "a\u2028b", "\u200B", "a\u202Eb", "\uFEFF", "a\u00ADb", "\uD800", "a\uDC00", "\uDBFF" + "x", new string('t', EventStoreLimits.MaxTagLength + 1)]);
        var valid = new List<(string Tag, Guid EventId)>();
        var refused = 0;
        var stream = S("tags.hostile");
        var before = await FingerprintAsync(store);
        foreach (var tag in candidates)
        {
            if (HostileText.IsValidTag(tag))
            {
                var e = NewEvent("Tagged").WithTags(tag);
                valid.Add((tag, e.EventId));
                continue;
            }

            var error = Assert.Throws<InvalidNameException>(() => NewEvent("Tagged").WithTags("ok:1", tag));
            Assert.Equal((NameKind.Tag, tag), (error.Kind, error.Name));
            Assert.Throws<InvalidNameException>(() => new EventData(Guid.NewGuid(), "Tagged", Text("{}"), null, [tag]));
            Assert.Throws<InvalidNameException>(() => EventData.FromText("Tagged", "{}", tags: [tag]));

            // A batch whose events are being made when one turns out bad is never committed: nothing of it is stored.
            await Assert.ThrowsAsync<InvalidNameException>(async () => await store.AppendAsync(stream, ExpectedRevision.Any, [NewEvent("Good").WithTags("ok:1"), NewEvent("Bad").WithTags(tag)]));
            refused++;
        }

        Assert.True(refused > 50 && valid.Count > 50, $"The generated tags should hold both kinds (seed {hostile.Seed}): {refused} refused, {valid.Count} valid.");
        Assert.Equal(before, await FingerprintAsync(store));

        var duplicate = Assert.Throws<InvalidNameException>(() => NewEvent().WithTags("course:c1", "student:s1", "course:c1"));
        Assert.Equal((NameKind.Tag, "course:c1"), (duplicate.Kind, duplicate.Name));
        var tooMany = Enumerable.Range(0, EventStoreLimits.MaxTagsPerEvent + 1).Select(i => $"t:{i}").ToArray();
        var many = Assert.Throws<InvalidNameException>(() => NewEvent().WithTags(tooMany));
        Assert.Equal((NameKind.Tag, tooMany[^1]), (many.Kind, many.Name));
        Assert.Throws<InvalidNameException>(() => NewEvent().WithTags([null!]));

        // The valid generated tags reach the store and read back exactly, each by its own query.
        var distinct = valid.DistinctBy(v => v.Tag, StringComparer.Ordinal).Take(60).ToList();
        await store.AppendAsync(stream, ExpectedRevision.NoStream, [.. distinct.Select(v => new EventData(v.EventId, "Tagged", Text("{}"), null, [v.Tag]))]);
        foreach (var (tag, eventId) in distinct)
        {
            var found = Assert.Single(await ReadAllAsync(store, EventFilter.Tagged(tag)));
            Assert.Equal((eventId, tag), (found.EventId, Assert.Single(found.Tags)));
        }
    }

    /// <summary>Tags count towards the event's size limit, as stored (a JSON array of strings): an event whose data fits but whose tags do not is refused whole.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Tags_count_towards_the_event_size_limit()
    {
        await using var store = await NewStoreAsync();
        var limit = Fixture.MaxEventBytes;
        var data = new byte[limit - 8];
        var fits = new EventData(Guid.NewGuid(), "Big", data);
        var over = new EventData(Guid.NewGuid(), "Big", data, null, ["course:c1"]);
        var before = await FingerprintAsync(store);

        var error = await Assert.ThrowsAsync<EventTooLargeException>(async () => await store.AppendAsync(S("big.1"), ExpectedRevision.NoStream, over));

        Assert.Equal(over.EventId, error.EventId);
        Assert.Equal(before, await FingerprintAsync(store));
        await store.AppendAsync(S("big.1"), ExpectedRevision.NoStream, fits);
    }

    /// <summary>
    /// Reading the log with a random tag query (items of random tags and types, alone or with streams, categories,
    /// types and wildcard patterns, from a random position, with a random page size) returns exactly the events that
    /// <see cref="EventFilter.Matches(RecordedEvent)"/> selects from the whole log, in position order; also after
    /// some events were truncated and a stream deleted.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Tag_queries_read_exactly_what_brute_force_matching_selects()
    {
        await using var store = await NewStoreAsync();
        var random = new Random(4242);
        await TagWorld.FillAsync(store, random, 360);
        await CompareWithBruteForceAsync(store, random, OracleQueries / 2);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().TruncateStream(S("course.c1"), 6).DeleteStream(S("student.s2")));
        await CompareWithBruteForceAsync(store, random, OracleQueries / 2);
    }

    /// <summary>Truncating or deleting a stream removes its events from tag queries; other events with the same tags stay.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Truncated_and_deleted_events_leave_tag_reads()
    {
        await using var store = await NewStoreAsync();
        var kept = await store.AppendAsync(S("course.c1"), ExpectedRevision.NoStream, [.. Enumerable.Range(0, 4).Select(i => NewEvent("Enrolled").WithTags("course:c1", $"student:s{i}"))]);
        await store.AppendAsync(S("student.s9"), ExpectedRevision.NoStream, [NewEvent("Registered").WithTags("student:s9", "course:c1"), NewEvent("Left").WithTags("student:s9")]);
        var other = await store.AppendAsync(S("course.c2"), ExpectedRevision.NoStream, NewEvent("Enrolled").WithTags("course:c2", "student:s9"));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().TruncateStream(S("course.c1"), 2).DeleteStream(S("student.s9")));

        var course = await ReadAllAsync(store, EventFilter.Tagged("course:c1"));
        Assert.Equal([kept.FirstPosition + 2, kept.FirstPosition + 3], course.Select(e => e.Position));
        Assert.Empty(await ReadAllAsync(store, EventFilter.Tagged("student:s0")));
        Assert.Equal([other.FirstPosition], (await ReadAllAsync(store, EventFilter.Tagged("student:s9"))).Select(e => e.Position));

        // A stream revived after its delete: its new events are found, its old ones are not.
        var revived = await store.AppendAsync(S("student.s9"), ExpectedRevision.NoStream, NewEvent("Registered").WithTags("student:s9"));
        Assert.Equal([other.FirstPosition, revived.FirstPosition], (await ReadAllAsync(store, EventFilter.Tagged("student:s9"))).Select(e => e.Position));
    }

    private static async Task CompareWithBruteForceAsync(IEventStore store, Random random, int queries)
    {
        var log = await ReadAllAsync(store);
        var head = await store.GetHeadPositionAsync();
        for (var q = 0; q < queries; q++)
        {
            var filter = TagWorld.RandomQuery(random);
            var after = random.Next(3) == 0 ? random.NextInt64(0, head + 1) : 0;
            var maxCount = random.Next(3) == 0 ? random.Next(1, 20) : int.MaxValue;
            var expected = log.Where(e => e.Position > after && filter.Matches(e)).Take(maxCount).ToList();

            var actual = await store.ReadAllAsync(after, filter, maxCount).ToListAsync();

            LogAssert.SameSequence(expected, actual, $"Query {q} '{filter}' after {after}, at most {maxCount}");
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Tags, actual[i].Tags);
            }
        }
    }
}
