using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Appends to and reads of streams and the global log: every expectation kind, the results of an
/// append, forward and backward stream reads, log reads, and byte-exact round trips.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class AppendConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected AppendConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many events the paging test writes to one stream; more than one read page of a backend.</summary>
    protected virtual int PagedStreamLength => 1200;

    /// <summary>An append to a new stream starts at revision 0 and reports where each event went.</summary>
    [Fact]
    public async Task Append_to_new_stream_starts_at_revision_0()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(3);

        var result = await store.AppendAsync(stream, ExpectedRevision.NoStream, events);

        Assert.Equal(stream, result.Stream);
        Assert.Equal(0, result.FirstRevision);
        Assert.Equal(2, result.LastRevision);
        Assert.True(result.FirstPosition >= 1, $"the first position is {result.FirstPosition}; positions start at 1");
        Assert.True(result.LastPosition > result.FirstPosition, "positions of one append increase");
        Assert.Equal(ExpectedRevision.Exact(2), result.NextExpected);

        var read = await ReadStreamAsync(store, stream);
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal([0L, 1L, 2L], read.Select(e => e.Revision));
        Assert.All(read, e => Assert.Equal(stream, e.Stream));
        AssertStrictlyIncreasing(read.Select(e => e.Position));
        Assert.Equal(result.FirstPosition, read[0].Position);
        Assert.Equal(result.LastPosition, read[^1].Position);
    }

    /// <summary>A single-event append has equal first and last revision and position.</summary>
    [Fact]
    public async Task Single_event_append_reports_one_revision_and_one_position()
    {
        await using var store = await NewStoreAsync();

        var result = await store.AppendAsync(S("account.1"), ExpectedRevision.Any, NewEvent());

        Assert.Equal(0, result.FirstRevision);
        Assert.Equal(0, result.LastRevision);
        Assert.Equal(result.FirstPosition, result.LastPosition);
        var read = Assert.Single(await ReadStreamAsync(store, S("account.1")));
        Assert.Equal(result.FirstPosition, read.Position);
    }

    /// <summary>Later appends continue the stream's revisions and take greater positions.</summary>
    [Fact]
    public async Task Later_appends_continue_revisions_and_positions()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");

        var first = await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        var second = await store.AppendAsync(stream, first.NextExpected, NewEvents(3));
        var third = await store.AppendAsync(stream, ExpectedRevision.Any, NewEvent());

        Assert.Equal((2L, 4L), (second.FirstRevision, second.LastRevision));
        Assert.Equal((5L, 5L), (third.FirstRevision, third.LastRevision));
        Assert.True(second.FirstPosition > first.LastPosition);
        Assert.True(third.FirstPosition > second.LastPosition);
        var read = await ReadStreamAsync(store, stream);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (long)i), read.Select(e => e.Revision));
        AssertStrictlyIncreasing(read.Select(e => e.Position));
    }

    /// <summary><see cref="ExpectedRevision.Any"/> holds for a missing and for an existing stream.</summary>
    [Fact]
    public async Task Any_holds_for_missing_and_existing_stream()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");

        var first = await store.AppendAsync(stream, ExpectedRevision.Any, NewEvent());
        var second = await store.AppendAsync(stream, ExpectedRevision.Any, NewEvent());

        Assert.Equal(0, first.FirstRevision);
        Assert.Equal(1, second.FirstRevision);
    }

    /// <summary><see cref="ExpectedRevision.NoStream"/> holds for a missing stream and fails for an existing one.</summary>
    [Fact]
    public async Task NoStream_holds_for_missing_stream_and_fails_for_existing_one()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent()));

        Assert.Equal(stream, error.Stream);
        Assert.Equal(ExpectedRevision.NoStream, error.Expected);
        Assert.Equal(1, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
    }

    /// <summary><see cref="ExpectedRevision.StreamExists"/> fails for a missing stream (actual null) and holds for an existing one.</summary>
    [Fact]
    public async Task StreamExists_fails_for_missing_stream_and_holds_for_existing_one()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(stream, ExpectedRevision.StreamExists, NewEvent()));
        Assert.Equal(stream, error.Stream);
        Assert.Equal(ExpectedRevision.StreamExists, error.Expected);
        Assert.Null(error.Actual);
        Assert.Null(await store.GetStreamInfoAsync(stream));
        Assert.Empty(await ReadAllAsync(store));

        await store.AppendAsync(stream, ExpectedRevision.Any, NewEvent());
        var result = await store.AppendAsync(stream, ExpectedRevision.StreamExists, NewEvent());
        Assert.Equal(1, result.FirstRevision);
    }

    /// <summary>An exact expectation holds only at the stream's last revision, and names the actual one when it fails.</summary>
    [Fact]
    public async Task Exact_holds_only_at_last_revision()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        var before = await FingerprintAsync(store, [stream]);

        foreach (var wrong in new long[] { 0, 1, 3, 4, long.MaxValue })
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                async () => await store.AppendAsync(stream, ExpectedRevision.Exact(wrong), NewEvent()));
            Assert.Equal(stream, error.Stream);
            Assert.Equal(ExpectedRevision.Exact(wrong), error.Expected);
            Assert.Equal(2, error.Actual);
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        var result = await store.AppendAsync(stream, ExpectedRevision.Exact(2), NewEvent());
        Assert.Equal(3, result.FirstRevision);
    }

    /// <summary>An exact expectation on a missing stream fails with a null actual revision, even for revision 0.</summary>
    [Fact]
    public async Task Exact_fails_for_missing_stream()
    {
        await using var store = await NewStoreAsync();
        var stream = S("order.7");

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(stream, ExpectedRevision.Exact(0), NewEvent()));

        Assert.Equal(stream, error.Stream);
        Assert.Equal(ExpectedRevision.Exact(0), error.Expected);
        Assert.Null(error.Actual);
        Assert.Equal("Stream 'order.7' was expected at revision 0 but does not exist.", error.Message);
        Assert.Null(await store.GetStreamInfoAsync(stream));
        Assert.Equal(0, await store.GetHeadPositionAsync());
    }

    /// <summary>The wrong-revision error's message names the stream, the expected and the actual revision.</summary>
    [Fact]
    public async Task Wrong_revision_message_names_stream_expected_and_actual()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(stream, ExpectedRevision.Exact(5), NewEvent()));

        Assert.Equal("Stream 'account.1' was expected at revision 5 but is at revision 2.", error.Message);
        Assert.IsAssignableFrom<ConcurrencyException>(error);
    }

    /// <summary>A failed expectation stores none of the append's events.</summary>
    [Fact]
    public async Task Failed_append_stores_nothing()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var other = S("account.2");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        await store.AppendAsync(other, ExpectedRevision.NoStream, NewEvent());
        var before = await FingerprintAsync(store, [stream, other]);
        var rejected = NewEvents(4);

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(stream, ExpectedRevision.Exact(0), rejected));

        Assert.Equal(before, await FingerprintAsync(store, [stream, other]));
        var all = await ReadAllAsync(store);
        Assert.DoesNotContain(all, e => rejected.Any(r => r.EventId == e.EventId));

        // The rejected ids were not stored, so they are free to use.
        var retried = await store.AppendAsync(stream, ExpectedRevision.Exact(1), rejected);
        Assert.Equal((2L, 5L), (retried.FirstRevision, retried.LastRevision));
    }

    /// <summary>Streams whose names differ only in case, or where one id is a prefix of another, are distinct.</summary>
    [Fact]
    public async Task Similar_stream_names_are_distinct_streams()
    {
        await using var store = await NewStoreAsync();
        StreamName[] streams = [S("account.abc"), S("account.ABC"), S("Account.abc"), S("account.abc1"), S("account.ab"), S("account_x.abc"), S("accoun.tabc")];
        var written = new Dictionary<StreamName, EventData[]>();
        foreach (var stream in streams)
        {
            written[stream] = NewEvents(2);
            var result = await store.AppendAsync(stream, ExpectedRevision.NoStream, written[stream]);
            Assert.Equal(0, result.FirstRevision);
        }

        foreach (var stream in streams)
        {
            var read = await ReadStreamAsync(store, stream);
            Assert.Equal(written[stream].Select(e => e.EventId), read.Select(e => e.EventId));
            Assert.All(read, e => Assert.Equal(stream.Value, e.Stream.Value));
            var info = await store.GetStreamInfoAsync(stream);
            Assert.NotNull(info);
            Assert.Equal(1, info.LastRevision);
        }
    }

    /// <summary>A forward read starts at the given revision (inclusive) and returns at most maxCount events.</summary>
    [Fact]
    public async Task Forward_read_starts_at_revision_and_stops_at_max_count()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(10);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events.Take(4));
        await store.AppendAsync(stream, ExpectedRevision.Exact(3), events.Skip(4));

        var fromFive = await store.ReadStreamAsync(stream, fromRevision: 5).ToListAsync();
        Assert.Equal([5L, 6L, 7L, 8L, 9L], fromFive.Select(e => e.Revision));
        Assert.Equal(events.Skip(5).Select(e => e.EventId), fromFive.Select(e => e.EventId));

        var three = await store.ReadStreamAsync(stream, fromRevision: 2, maxCount: 3).ToListAsync();
        Assert.Equal([2L, 3L, 4L], three.Select(e => e.Revision));

        var firstOnly = await store.ReadStreamAsync(stream, maxCount: 1).ToListAsync();
        Assert.Equal(events[0].EventId, Assert.Single(firstOnly).EventId);

        Assert.Equal([9L], (await store.ReadStreamAsync(stream, fromRevision: 9).ToListAsync()).Select(e => e.Revision));
        Assert.Empty(await store.ReadStreamAsync(stream, fromRevision: 10).ToListAsync());
        Assert.Empty(await store.ReadStreamAsync(stream, fromRevision: long.MaxValue).ToListAsync());
        Assert.Empty(await store.ReadStreamAsync(stream, maxCount: 0).ToListAsync());
        Assert.Equal(10, (await store.ReadStreamAsync(stream, maxCount: 100).ToListAsync()).Count);
    }

    /// <summary>A backward read starts at the end by default, or at the given revision, and returns at most maxCount events.</summary>
    [Fact]
    public async Task Backward_read_starts_at_end_or_revision_and_stops_at_max_count()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(6);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);

        var all = await store.ReadStreamBackwardAsync(stream).ToListAsync();
        Assert.Equal([5L, 4L, 3L, 2L, 1L, 0L], all.Select(e => e.Revision));
        Assert.Equal(events.Reverse().Select(e => e.EventId), all.Select(e => e.EventId));
        AssertStrictlyIncreasing(all.Select(e => -e.Position));

        var fromThree = await store.ReadStreamBackwardAsync(stream, fromRevision: 3).ToListAsync();
        Assert.Equal([3L, 2L, 1L, 0L], fromThree.Select(e => e.Revision));

        var lastTwo = await store.ReadStreamBackwardAsync(stream, maxCount: 2).ToListAsync();
        Assert.Equal([5L, 4L], lastTwo.Select(e => e.Revision));

        var twoFromFour = await store.ReadStreamBackwardAsync(stream, fromRevision: 4, maxCount: 2).ToListAsync();
        Assert.Equal([4L, 3L], twoFromFour.Select(e => e.Revision));

        Assert.Equal([0L], (await store.ReadStreamBackwardAsync(stream, fromRevision: 0).ToListAsync()).Select(e => e.Revision));
        Assert.Equal([5L, 4L], (await store.ReadStreamBackwardAsync(stream, fromRevision: 6, maxCount: 2).ToListAsync()).Select(e => e.Revision));
        Assert.Equal([5L], (await store.ReadStreamBackwardAsync(stream, fromRevision: 1000, maxCount: 1).ToListAsync()).Select(e => e.Revision));
        Assert.Empty(await store.ReadStreamBackwardAsync(stream, maxCount: 0).ToListAsync());
    }

    /// <summary>The last event of a stream is one backward read of one event away.</summary>
    [Fact]
    public async Task Backward_read_of_one_returns_last_event_after_several_appends()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        var last = NewEvent("Closed");
        await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvents(2));
        await store.AppendAsync(stream, ExpectedRevision.Exact(2), last);

        var read = Assert.Single(await store.ReadStreamBackwardAsync(stream, maxCount: 1).ToListAsync());

        Assert.Equal(last.EventId, read.EventId);
        Assert.Equal(3, read.Revision);
        Assert.Equal("Closed", read.Type);
    }

    /// <summary>A stream never written reads as empty in both directions and has no info.</summary>
    [Fact]
    public async Task Missing_stream_reads_empty_and_has_no_info()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvents(2));
        var missing = S("account.2");

        Assert.Empty(await ReadStreamAsync(store, missing));
        Assert.Empty(await store.ReadStreamAsync(missing, fromRevision: 1).ToListAsync());
        Assert.Empty(await store.ReadStreamBackwardAsync(missing).ToListAsync());
        Assert.Empty(await store.ReadStreamBackwardAsync(missing, fromRevision: 0).ToListAsync());
        Assert.Null(await store.GetStreamInfoAsync(missing));
        Assert.Null(await store.GetStreamInfoAsync(S("other.1")));
    }

    /// <summary>An empty store has head position 0 and an empty log.</summary>
    [Fact]
    public async Task Empty_store_has_head_0_and_empty_log()
    {
        await using var store = await NewStoreAsync();

        Assert.Equal(0, await store.GetHeadPositionAsync());
        Assert.Empty(await ReadAllAsync(store));
        Assert.Empty(await store.ReadAllAsync(afterPosition: 5).ToListAsync());
    }

    /// <summary>Stream info names the first and last revision and the last position.</summary>
    [Fact]
    public async Task Stream_info_names_revisions_and_last_position()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvents(2));
        var last = await store.AppendAsync(stream, ExpectedRevision.Exact(1), NewEvents(3));

        var info = await store.GetStreamInfoAsync(stream);

        Assert.NotNull(info);
        Assert.Equal(stream, info.Stream);
        Assert.Equal(0, info.FirstRevision);
        Assert.Equal(4, info.LastRevision);
        Assert.Equal(last.LastPosition, info.LastPosition);
        Assert.Equal(5, info.Count);
    }

    /// <summary>The head position is the position of the last event committed.</summary>
    [Fact]
    public async Task Head_position_follows_last_commit()
    {
        await using var store = await NewStoreAsync();

        var first = await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvents(3));
        Assert.Equal(first.LastPosition, await store.GetHeadPositionAsync());

        var second = await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvent());
        Assert.Equal(second.LastPosition, await store.GetHeadPositionAsync());

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvent()));
        Assert.Equal(second.LastPosition, await store.GetHeadPositionAsync());
        Assert.Equal(second.LastPosition, (await ReadAllAsync(store))[^1].Position);
    }

    /// <summary>Id, type, data and metadata come back exactly as appended, from stream reads and from the log.</summary>
    [Fact]
    public async Task Event_round_trips_byte_exact()
    {
        await using var store = await NewStoreAsync();
        var stream = S("doc.1");
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(new byte[] { 0, 0, 255, 0 }).ToArray();
        var metadata = new Dictionary<string, string>
        {
            ["correlation-id"] = "c-1",
            ["causation"] = "Zoë 日本 😀",
            ["empty"] = string.Empty,
            ["quote\"and\\slash"] = "line\nbreak\ttab",
            ["Case"] = "upper",
            ["case"] = "lower",
        };
        EventData[] events =
        [
            new(Guid.NewGuid(), "Binary", binary),
            new(Guid.NewGuid(), "Json", Encoding.UTF8.GetBytes("{ \"b\" : 2,\n  \"a\":1, \"a\":3, \"n\": 1.50, \"s\": \"\\u00e9\" }"), metadata),
            new(Guid.NewGuid(), "Empty", ReadOnlyMemory<byte>.Empty),
            new(Guid.NewGuid(), "Text_with-Dashes_09", Encoding.UTF8.GetBytes("not json at all ünïcödé")),
            new(Guid.NewGuid(), new string('T', 128), Encoding.UTF8.GetBytes("null")),
        ];

        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);

        var fromStream = await ReadStreamAsync(store, stream);
        var fromLog = await ReadAllAsync(store);
        var backward = await store.ReadStreamBackwardAsync(stream).ToListAsync();
        Assert.Equal(events.Length, fromStream.Count);
        Assert.Equal(events.Length, fromLog.Count);
        for (var i = 0; i < events.Length; i++)
        {
            AssertSameEvent(events[i], fromStream[i]);
            AssertSameEvent(events[i], fromLog[i]);
            AssertSameEvent(events[i], backward[events.Length - 1 - i]);
        }
    }

    /// <summary>An event appended without metadata reads back with empty (not null) metadata.</summary>
    [Fact]
    public async Task Event_without_metadata_reads_with_empty_metadata()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("doc.1"), ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Plain", new byte[] { 1 }));

        var read = Assert.Single(await ReadStreamAsync(store, S("doc.1")));

        Assert.NotNull(read.Metadata);
        Assert.Empty(read.Metadata);
    }

    /// <summary>A stream name at the longest allowed category and id, with non-ASCII characters, round-trips.</summary>
    [Fact]
    public async Task Longest_stream_name_with_unicode_id_round_trips()
    {
        await using var store = await NewStoreAsync();
        var category = new string('c', StreamName.MaxCategoryLength);
        var emojiId = string.Concat(Enumerable.Repeat("😀", StreamName.MaxIdLength / 2));
        var accentId = "Zoë-日本-" + new string('é', StreamName.MaxIdLength - 8);
        StreamName[] streams = [StreamName.For(category, emojiId), StreamName.For(category, accentId), StreamName.For("user", "Zoë-日本")];

        foreach (var stream in streams)
        {
            await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        }

        var log = await ReadAllAsync(store);
        Assert.Equal(streams.Select(s => s.Value), log.Select(e => e.Stream.Value));
        foreach (var stream in streams)
        {
            var read = Assert.Single(await ReadStreamAsync(store, stream));
            Assert.Equal(stream.Value, read.Stream.Value);
            Assert.Equal(stream.Category, read.Stream.Category);
            Assert.Equal(stream.Id, read.Stream.Id);
            Assert.Equal(stream, (await store.GetStreamInfoAsync(stream))?.Stream);
        }
    }

    /// <summary>Every stored event carries a commit timestamp.</summary>
    [Fact]
    public async Task Events_carry_a_timestamp()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvents(2));
        await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvent());

        var log = await ReadAllAsync(store);

        Assert.Equal(3, log.Count);
        Assert.All(log, e => Assert.NotEqual(default, e.Timestamp));
        Assert.All(log, e => Assert.NotEqual(DateTimeOffset.MinValue, e.Timestamp));
        Assert.All(await ReadStreamAsync(store, S("account.1")), e => Assert.NotEqual(default, e.Timestamp));
    }

    /// <summary>The log returns events strictly after the given position, in position order, at most maxCount.</summary>
    [Fact]
    public async Task Log_read_returns_events_after_position_up_to_max_count()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(2));
        await store.AppendAsync(S("account.1"), ExpectedRevision.Exact(2), NewEvents(2));
        var all = await ReadAllAsync(store);
        Assert.Equal(7, all.Count);

        for (var i = 0; i < all.Count; i++)
        {
            var after = await store.ReadAllAsync(afterPosition: all[i].Position).ToListAsync();
            Assert.Equal(all.Skip(i + 1).Select(e => e.EventId), after.Select(e => e.EventId));
        }

        // A position that belongs to no event (between two, or before the first) still works.
        var beforeFirst = await store.ReadAllAsync(afterPosition: all[0].Position - 1).ToListAsync();
        Assert.Equal(all.Select(e => e.EventId), beforeFirst.Select(e => e.EventId));

        var two = await store.ReadAllAsync(afterPosition: all[1].Position, maxCount: 2).ToListAsync();
        Assert.Equal(all.Skip(2).Take(2).Select(e => e.EventId), two.Select(e => e.EventId));
        Assert.Equal(all[0].EventId, Assert.Single(await store.ReadAllAsync(maxCount: 1).ToListAsync()).EventId);
        Assert.Empty(await store.ReadAllAsync(maxCount: 0).ToListAsync());
        Assert.Empty(await store.ReadAllAsync(afterPosition: all[^1].Position).ToListAsync());
        Assert.Empty(await store.ReadAllAsync(afterPosition: long.MaxValue).ToListAsync());
    }

    /// <summary>Across interleaved appends to several streams, the log's positions strictly increase and match the stream reads.</summary>
    [Fact]
    public async Task Positions_strictly_increase_across_streams()
    {
        await using var store = await NewStoreAsync();
        StreamName[] streams = [S("account.1"), S("order.1"), S("account.2")];
        var results = new List<AppendResult>();
        var appended = new List<Guid>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var stream in streams)
            {
                var events = NewEvents(1 + ((round + stream.Value.Length) % 3));
                results.Add(await store.AppendAsync(stream, ExpectedRevision.Any, events));
                appended.AddRange(events.Select(e => e.EventId));
            }
        }

        var log = await ReadAllAsync(store);
        Assert.Equal(appended, log.Select(e => e.EventId));
        AssertStrictlyIncreasing(log.Select(e => e.Position));
        for (var i = 1; i < results.Count; i++)
        {
            Assert.True(results[i].FirstPosition > results[i - 1].LastPosition, $"append {i} starts at {results[i].FirstPosition}, not after {results[i - 1].LastPosition}");
        }

        var byId = log.ToDictionary(e => e.EventId);
        foreach (var stream in streams)
        {
            var read = await ReadStreamAsync(store, stream);
            Assert.Equal(Enumerable.Range(0, read.Count).Select(i => (long)i), read.Select(e => e.Revision));
            AssertStrictlyIncreasing(read.Select(e => e.Position));
            Assert.All(read, e => Assert.Equal((e.Stream, e.Revision, e.Position), (byId[e.EventId].Stream, byId[e.EventId].Revision, byId[e.EventId].Position)));
        }

        Assert.Equal(log[^1].Position, await store.GetHeadPositionAsync());
    }

    /// <summary>Reads longer than a backend's page return every event once, in order, in every direction.</summary>
    [Fact]
    public async Task Reads_longer_than_a_page_return_every_event_once()
    {
        await using var store = await NewStoreAsync();
        var stream = S("big.1");
        var length = PagedStreamLength;
        var ids = new List<Guid>();
        for (var written = 0; written < length;)
        {
            var events = NewEvents(Math.Min(300, length - written));
            await store.AppendAsync(stream, ExpectedRevision.Any, events);
            await store.AppendAsync(S("noise.1"), ExpectedRevision.Any, NewEvent());
            ids.AddRange(events.Select(e => e.EventId));
            written += events.Length;
        }

        var forward = await ReadStreamAsync(store, stream);
        Assert.Equal(ids, forward.Select(e => e.EventId));
        Assert.Equal(Enumerable.Range(0, length).Select(i => (long)i), forward.Select(e => e.Revision));

        var backward = await store.ReadStreamBackwardAsync(stream).ToListAsync();
        Assert.Equal(Enumerable.Reverse(ids), backward.Select(e => e.EventId));

        // Stopping within the first page leaves a page read ahead; the read ends cleanly all the same.
        var start = await store.ReadStreamAsync(stream).Take(100).ToListAsync();
        Assert.Equal(ids.Take(100), start.Select(e => e.EventId));

        var middle = await store.ReadStreamAsync(stream, fromRevision: 100, maxCount: length - 150).ToListAsync();
        Assert.Equal(ids.Skip(100).Take(length - 150), middle.Select(e => e.EventId));

        var log = await store.ReadAllAsync(filter: EventFilter.ForStreams(stream)).ToListAsync();
        Assert.Equal(ids, log.Select(e => e.EventId));

        var all = await ReadAllAsync(store);
        Assert.Equal(all.Count, all.Select(e => e.EventId).Distinct().Count());
        AssertStrictlyIncreasing(all.Select(e => e.Position));
        var afterTen = await store.ReadAllAsync(afterPosition: all[9].Position, maxCount: all.Count - 20).ToListAsync();
        Assert.Equal(all.Skip(10).Take(all.Count - 20).Select(e => e.EventId), afterTen.Select(e => e.EventId));
    }

    /// <summary>A batch appending to several streams reports each append's revisions and positions, and the log holds them all.</summary>
    [Fact]
    public async Task Multi_stream_commit_reports_each_append()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvents(2));
        var head = await store.GetHeadPositionAsync();
        var toFirst = NewEvents(2);
        var toSecond = NewEvents(1);

        var batch = new CommitBatch()
            .Append(S("account.1"), ExpectedRevision.NoStream, toFirst)
            .Append(S("account.2"), ExpectedRevision.Exact(1), toSecond);
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            return;
        }

        var result = await store.CommitAsync(batch);

        Assert.Equal(2, result.Appends.Count);
        Assert.Equal((S("account.1"), 0L, 1L), (result.Appends[0].Stream, result.Appends[0].FirstRevision, result.Appends[0].LastRevision));
        Assert.Equal((S("account.2"), 2L, 2L), (result.Appends[1].Stream, result.Appends[1].FirstRevision, result.Appends[1].LastRevision));
        Assert.All(result.Appends, a => Assert.True(a.FirstPosition > head));
        Assert.Equal(result.Appends.Max(a => a.LastPosition), result.LastPosition);
        Assert.Equal(result.LastPosition, await store.GetHeadPositionAsync());

        var first = await ReadStreamAsync(store, S("account.1"));
        Assert.Equal(result.Appends[0].FirstPosition, first[0].Position);
        Assert.Equal(result.Appends[0].LastPosition, first[^1].Position);
        var second = await store.ReadStreamAsync(S("account.2"), fromRevision: 2).ToListAsync();
        Assert.Equal(result.Appends[1].FirstPosition, Assert.Single(second).Position);
        var newInLog = await store.ReadAllAsync(afterPosition: head).ToListAsync();
        Assert.Equal(toFirst.Concat(toSecond).Select(e => e.EventId).Order(), newInLog.Select(e => e.EventId).Order());
    }

    /// <summary>Listing streams returns every existing stream in ordinal name order, with its revisions and last position.</summary>
    [Fact]
    public async Task ListStreams_returns_existing_streams_in_name_order()
    {
        await using var store = await NewStoreAsync();
        var b = await store.AppendAsync(S("account.b"), ExpectedRevision.NoStream, NewEvents(2));
        var a = await store.AppendAsync(S("account.a"), ExpectedRevision.NoStream, NewEvents(1));
        await store.AppendAsync(S("accounts.x"), ExpectedRevision.NoStream, NewEvents(1));
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(S("order.2"), ExpectedRevision.NoStream, NewEvents(1));
        await store.DeleteStreamAsync(S("order.2"));
        await store.TruncateStreamAsync(S("order.1"), 2);

        var all = await store.ListStreamsAsync().ToListAsync();
        var accounts = await store.ListStreamsAsync("account").ToListAsync();

        Assert.Equal(["account.a", "account.b", "accounts.x", "order.1"], all.Select(s => s.Stream.Value));
        Assert.Equal([new StreamInfo(S("account.a"), 0, 0, a.LastPosition), new StreamInfo(S("account.b"), 0, 1, b.LastPosition)], accounts);
        Assert.Equal(2, all[^1].FirstRevision);
        Assert.Empty(await store.ListStreamsAsync("missing").ToListAsync());
    }

    private static void AssertSameEvent(EventData expected, RecordedEvent actual)
    {
        Assert.Equal(expected.EventId, actual.EventId);
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.Data.ToArray(), actual.Data.ToArray());
        Assert.Equal(
            expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal),
            actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static void AssertStrictlyIncreasing(IEnumerable<long> values)
    {
        var list = values.ToList();
        for (var i = 1; i < list.Count; i++)
        {
            Assert.True(list[i] > list[i - 1], $"value {i} is {list[i]}, not greater than {list[i - 1]}");
        }
    }
}
