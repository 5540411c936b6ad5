using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Truncating and deleting streams: removed events leave stream and log reads, the rest keep their
/// revisions and positions, revisions are never reused, expectations see the right state, and
/// removed events' ids are free again.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class TruncateDeleteConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly StreamName Stream = S("account.1");
    private static readonly StreamName Other = S("account.2");
    private static readonly StreamName Elsewhere = S("order.1");

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected TruncateDeleteConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>After a truncation the stream reads from the truncation point, the rest keep revisions and positions, and the log forgets the removed events.</summary>
    [Fact]
    public async Task Truncate_removes_events_before_revision_and_keeps_the_rest()
    {
        await using var store = await NewStoreAsync();
        await WriteInterleavedAsync(store);
        var streamBefore = await ReadStreamAsync(store, Stream);
        var logBefore = await ReadAllAsync(store);
        var infoBefore = await store.GetStreamInfoAsync(Stream);
        var head = await store.GetHeadPositionAsync();

        await store.TruncateStreamAsync(Stream, 3);

        var stream = await ReadStreamAsync(store, Stream);
        Assert.Equal(streamBefore.Skip(3).Select(Identity), stream.Select(Identity));
        Assert.Equal(streamBefore.Skip(3).Select(Identity), (await store.ReadStreamAsync(Stream, fromRevision: 1).ToListAsync()).Select(Identity));
        Assert.Equal(streamBefore.Skip(4).Select(Identity), (await store.ReadStreamAsync(Stream, fromRevision: 4).ToListAsync()).Select(Identity));
        Assert.Equal(streamBefore[3].EventId, Assert.Single(await store.ReadStreamAsync(Stream, maxCount: 1).ToListAsync()).EventId);
        Assert.Equal(streamBefore.Skip(3).Reverse().Select(Identity), (await store.ReadStreamBackwardAsync(Stream).ToListAsync()).Select(Identity));
        Assert.Empty(await store.ReadStreamBackwardAsync(Stream, fromRevision: 2).ToListAsync());
        Assert.Equal(streamBefore[3].EventId, Assert.Single(await store.ReadStreamBackwardAsync(Stream, fromRevision: 3).ToListAsync()).EventId);

        var info = await store.GetStreamInfoAsync(Stream);
        Assert.NotNull(info);
        Assert.Equal(infoBefore! with { FirstRevision = 3 }, info);
        Assert.Equal(3, info.Count);

        var kept = logBefore.Where(e => !(e.Stream == Stream && e.Revision < 3)).Select(Identity).ToList();
        Assert.Equal(kept, (await ReadAllAsync(store)).Select(Identity));
        Assert.Equal(streamBefore.Skip(3).Select(Identity), (await store.ReadAllAsync(filter: EventFilter.ForStreams(Stream)).ToListAsync()).Select(Identity));
        Assert.Equal(kept.Where(e => e.Stream.Category == "account"), (await store.ReadAllAsync(filter: EventFilter.ForCategories("account")).ToListAsync()).Select(Identity));
        Assert.Equal(logBefore.Where(e => e.Stream == Other).Select(Identity), (await ReadStreamAsync(store, Other)).Select(Identity));
        Assert.Equal(head, await store.GetHeadPositionAsync());
    }

    /// <summary>After a truncation the next append continues the revisions and expectations still see the last revision.</summary>
    [Fact]
    public async Task Truncated_stream_keeps_its_last_revision_for_expectations_and_appends()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(5));
        await store.TruncateStreamAsync(Stream, 3);
        var before = await FingerprintAsync(store, [Stream]);

        var noStream = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvent()));
        Assert.Equal(4, noStream.Actual);
        var stale = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(Stream, ExpectedRevision.Exact(2), NewEvent()));
        Assert.Equal(4, stale.Actual);
        Assert.Equal(before, await FingerprintAsync(store, [Stream]));

        var next = await store.AppendAsync(Stream, ExpectedRevision.Exact(4), NewEvent());
        Assert.Equal(5, next.FirstRevision);
        var exists = await store.AppendAsync(Stream, ExpectedRevision.StreamExists, NewEvent());
        Assert.Equal(6, exists.FirstRevision);
        Assert.Equal([3L, 4L, 5L, 6L], (await ReadStreamAsync(store, Stream)).Select(e => e.Revision));
        Assert.Equal(3, (await store.GetStreamInfoAsync(Stream))?.FirstRevision);
    }

    /// <summary>Truncating every event leaves an existing but empty stream whose revisions continue.</summary>
    [Fact]
    public async Task Truncate_everything_leaves_an_empty_existing_stream()
    {
        await using var store = await NewStoreAsync();
        var appended = await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(Other, ExpectedRevision.NoStream, NewEvent());

        await store.TruncateStreamAsync(Stream, 3);

        Assert.Empty(await ReadStreamAsync(store, Stream));
        Assert.Empty(await store.ReadStreamBackwardAsync(Stream).ToListAsync());
        Assert.All(await ReadAllAsync(store), e => Assert.Equal(Other, e.Stream));
        var info = await store.GetStreamInfoAsync(Stream);
        Assert.NotNull(info);
        Assert.Equal((3L, 2L, appended.LastPosition, 0L), (info.FirstRevision, info.LastRevision, info.LastPosition, info.Count));

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvent()));
        Assert.Equal(2, error.Actual);
        var next = await store.AppendAsync(Stream, ExpectedRevision.Exact(2), NewEvent());
        Assert.Equal(3, next.FirstRevision);
        Assert.Equal([3L], (await ReadStreamAsync(store, Stream)).Select(e => e.Revision));
    }

    /// <summary>Truncating beyond the end removes every event; the first revision stops at the last revision + 1.</summary>
    [Fact]
    public async Task Truncate_beyond_end_removes_everything()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(3));

        await store.TruncateStreamAsync(Stream, 100);

        Assert.Empty(await ReadStreamAsync(store, Stream));
        Assert.Empty(await ReadAllAsync(store));
        var info = await store.GetStreamInfoAsync(Stream);
        Assert.NotNull(info);
        Assert.Equal((3L, 2L), (info.FirstRevision, info.LastRevision));
        var next = await store.AppendAsync(Stream, ExpectedRevision.Exact(2), NewEvents(2));
        Assert.Equal((3L, 4L), (next.FirstRevision, next.LastRevision));
        Assert.Equal([3L, 4L], (await ReadStreamAsync(store, Stream)).Select(e => e.Revision));
        Assert.Equal(3, (await store.GetStreamInfoAsync(Stream))?.FirstRevision);
    }

    /// <summary>Truncating at or before the current first revision changes nothing.</summary>
    [Fact]
    public async Task Truncate_before_first_revision_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(5));
        await store.TruncateStreamAsync(Stream, 3);
        var before = await FingerprintAsync(store, [Stream]);

        await store.TruncateStreamAsync(Stream, 1);
        await store.TruncateStreamAsync(Stream, 0);
        await store.TruncateStreamAsync(Stream, 3, ExpectedRevision.Exact(4));

        Assert.Equal(before, await FingerprintAsync(store, [Stream]));
        Assert.Equal(3, (await store.GetStreamInfoAsync(Stream))?.FirstRevision);
    }

    /// <summary>A truncation whose expectation fails throws and changes nothing; one whose expectation holds takes effect.</summary>
    [Fact]
    public async Task Truncate_with_failing_expectation_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(4));
        var before = await FingerprintAsync(store, [Stream]);

        foreach (var expected in new[] { ExpectedRevision.Exact(2), ExpectedRevision.Exact(4), ExpectedRevision.NoStream })
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                async () => await store.TruncateStreamAsync(Stream, 2, expected));
            Assert.Equal((Stream, expected, (long?)3), (error.Stream, error.Expected, error.Actual));
        }

        Assert.Equal(before, await FingerprintAsync(store, [Stream]));
        await store.TruncateStreamAsync(Stream, 2, ExpectedRevision.Exact(3));
        await store.TruncateStreamAsync(Stream, 3, ExpectedRevision.StreamExists);
        Assert.Equal([3L], (await ReadStreamAsync(store, Stream)).Select(e => e.Revision));
    }

    /// <summary>Truncating a missing stream with Any does nothing; with an expectation that needs the stream, it fails with a null actual.</summary>
    [Fact]
    public async Task Truncate_of_missing_stream()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Other, ExpectedRevision.NoStream, NewEvent());
        var before = await FingerprintAsync(store, [Stream, Other]);

        await store.TruncateStreamAsync(Stream, 5);
        Assert.Equal(before, await FingerprintAsync(store, [Stream, Other]));
        Assert.Null(await store.GetStreamInfoAsync(Stream));

        foreach (var expected in new[] { ExpectedRevision.StreamExists, ExpectedRevision.Exact(0) })
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                async () => await store.TruncateStreamAsync(Stream, 5, expected));
            Assert.Equal((Stream, expected, (long?)null), (error.Stream, error.Expected, error.Actual));
        }

        Assert.Equal(before, await FingerprintAsync(store, [Stream, Other]));

        // The no-op left no trace: the stream is still new.
        var created = await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvent());
        Assert.Equal(0, created.FirstRevision);
        Assert.Equal(0, (await store.GetStreamInfoAsync(Stream))?.FirstRevision);
    }

    /// <summary>Reading the log after a truncated event's position returns the later events that remain.</summary>
    [Fact]
    public async Task Log_read_after_truncated_position_returns_remaining_events()
    {
        await using var store = await NewStoreAsync();
        await WriteInterleavedAsync(store);
        var all = await ReadAllAsync(store);
        var removedPosition = all.First(e => e.Stream == Stream && e.Revision == 1).Position;

        await store.TruncateStreamAsync(Stream, 2);

        var after = await store.ReadAllAsync(afterPosition: removedPosition).ToListAsync();
        Assert.Equal(
            all.Where(e => e.Position > removedPosition && !(e.Stream == Stream && e.Revision < 2)).Select(Identity),
            after.Select(Identity));
        var firstTwo = await store.ReadAllAsync(maxCount: 2).ToListAsync();
        Assert.Equal(all.Where(e => !(e.Stream == Stream && e.Revision < 2)).Take(2).Select(Identity), firstTwo.Select(Identity));
    }

    /// <summary>A deleted stream reads empty, has no info or snapshot, and its events leave the log; other streams are untouched.</summary>
    [Fact]
    public async Task Delete_removes_stream_events_and_snapshot_and_nothing_else()
    {
        await using var store = await NewStoreAsync();
        await WriteInterleavedAsync(store);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .SaveSnapshot(Stream, 3, "Snap", Encoding.UTF8.GetBytes("stream"))
            .SaveSnapshot(Other, 1, "Snap", Encoding.UTF8.GetBytes("other"))
            .SaveState(Stream, 1, "State", Encoding.UTF8.GetBytes("state")));
        var untouchedBefore = await UntouchedAsync(store);
        var otherEvents = (await ReadAllAsync(store)).Where(e => e.Stream != Stream).Select(Identity).ToList();
        var head = await store.GetHeadPositionAsync();

        await store.DeleteStreamAsync(Stream);

        Assert.Empty(await ReadStreamAsync(store, Stream));
        Assert.Empty(await store.ReadStreamAsync(Stream, fromRevision: 3).ToListAsync());
        Assert.Empty(await store.ReadStreamBackwardAsync(Stream).ToListAsync());
        Assert.Null(await store.GetStreamInfoAsync(Stream));
        Assert.Null(await store.ReadSnapshotAsync(Stream));
        Assert.Equal(otherEvents, (await ReadAllAsync(store)).Select(Identity));
        Assert.Empty(await store.ReadAllAsync(filter: EventFilter.ForStreams(Stream)).ToListAsync());
        Assert.Equal(otherEvents.Count(e => e.Stream == Other), (await store.ReadAllAsync(filter: EventFilter.ForCategories("account")).ToListAsync()).Count);

        // Other streams, their snapshots, and durable state under the same key are untouched.
        Assert.Equal(untouchedBefore, await UntouchedAsync(store));
        Assert.Equal(1, (await store.ReadSnapshotAsync(Other))?.Revision);
        Assert.Equal(1, (await store.ReadStateAsync(Stream))?.Version);
        Assert.Equal(head, await store.GetHeadPositionAsync());
    }

    /// <summary>After a delete NoStream holds, StreamExists and the old exact revision fail with a null actual.</summary>
    [Fact]
    public async Task Deleted_stream_no_longer_exists_for_expectations()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.DeleteStreamAsync(Stream, ExpectedRevision.Exact(2));
        var before = await FingerprintAsync(store, [Stream]);

        foreach (var expected in new[] { ExpectedRevision.StreamExists, ExpectedRevision.Exact(2), ExpectedRevision.Exact(0) })
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                async () => await store.AppendAsync(Stream, expected, NewEvent()));
            Assert.Equal((Stream, expected, (long?)null), (error.Stream, error.Expected, error.Actual));
        }

        var truncate = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.TruncateStreamAsync(Stream, 1, ExpectedRevision.StreamExists));
        Assert.Null(truncate.Actual);
        var delete = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            async () => await store.DeleteStreamAsync(Stream, ExpectedRevision.Exact(2)));
        Assert.Null(delete.Actual);
        Assert.Equal(before, await FingerprintAsync(store, [Stream]));

        var recreated = await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvent());
        Assert.Equal(3, recreated.FirstRevision);
    }

    /// <summary>A deleted stream re-created by an append continues at its old last revision + 1, with new positions after the old head.</summary>
    [Fact]
    public async Task Recreated_stream_continues_revisions_with_new_positions()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Other, ExpectedRevision.NoStream, NewEvents(2));
        var old = await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(4));
        var head = await store.GetHeadPositionAsync();
        Assert.Equal(old.LastPosition, head);

        await store.DeleteStreamAsync(Stream);
        Assert.Equal(head, await store.GetHeadPositionAsync());

        var events = NewEvents(2);
        var recreated = await store.AppendAsync(Stream, ExpectedRevision.NoStream, events);

        Assert.Equal((4L, 5L), (recreated.FirstRevision, recreated.LastRevision));
        Assert.True(recreated.FirstPosition > head, $"the re-created stream's first position {recreated.FirstPosition} reuses a position up to {head}");
        var read = await ReadStreamAsync(store, Stream);
        Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
        Assert.Equal([4L, 5L], read.Select(e => e.Revision));
        var info = await store.GetStreamInfoAsync(Stream);
        Assert.NotNull(info);
        Assert.Equal((4L, 5L, recreated.LastPosition), (info.FirstRevision, info.LastRevision, info.LastPosition));
        Assert.Equal(events.Select(e => e.EventId), (await store.ReadAllAsync(afterPosition: head).ToListAsync()).Select(e => e.EventId));

        // Deleting and re-creating again moves on once more.
        await store.DeleteStreamAsync(Stream, ExpectedRevision.Exact(5));
        var third = await store.AppendAsync(Stream, ExpectedRevision.Any, NewEvent());
        Assert.Equal(6, third.FirstRevision);
        Assert.True(third.FirstPosition > recreated.LastPosition);
    }

    /// <summary>A delete whose expectation fails throws and changes nothing, the snapshot included.</summary>
    [Fact]
    public async Task Delete_with_failing_expectation_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(Stream, 2, "Snap", new byte[] { 9 }));
        var before = await FingerprintAsync(store, [Stream]);

        foreach (var expected in new[] { ExpectedRevision.Exact(1), ExpectedRevision.Exact(3), ExpectedRevision.NoStream })
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
                async () => await store.DeleteStreamAsync(Stream, expected));
            Assert.Equal((Stream, expected, (long?)2), (error.Stream, error.Expected, error.Actual));
        }

        Assert.Equal(before, await FingerprintAsync(store, [Stream]));
        Assert.NotNull(await store.ReadSnapshotAsync(Stream));
        await store.DeleteStreamAsync(Stream, ExpectedRevision.StreamExists);
        Assert.Null(await store.GetStreamInfoAsync(Stream));
    }

    /// <summary>Deleting a missing stream with Any does nothing; deleting it again after a delete does nothing either.</summary>
    [Fact]
    public async Task Delete_of_missing_stream_with_any_does_nothing()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Other, ExpectedRevision.NoStream, NewEvent());
        var before = await FingerprintAsync(store, [Stream, Other]);

        await store.DeleteStreamAsync(Stream);
        Assert.Equal(before, await FingerprintAsync(store, [Stream, Other]));
        Assert.Equal(0, (await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(2))).FirstRevision);

        await store.DeleteStreamAsync(Stream);
        var afterDelete = await FingerprintAsync(store, [Stream, Other]);
        await store.DeleteStreamAsync(Stream);
        await store.DeleteStreamAsync(Stream, ExpectedRevision.NoStream);
        Assert.Equal(afterDelete, await FingerprintAsync(store, [Stream, Other]));
        Assert.Equal(2, (await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvent())).FirstRevision);
    }

    /// <summary>Ids of deleted events may be used again, in another stream or in the re-created stream, as new events.</summary>
    [Fact]
    public async Task Ids_of_deleted_events_may_be_reused()
    {
        await using var store = await NewStoreAsync();
        var events = NewEvents(3);
        var original = await store.AppendAsync(Stream, ExpectedRevision.NoStream, events);
        var others = NewEvents(2);
        await store.AppendAsync(Other, ExpectedRevision.NoStream, others);
        await store.DeleteStreamAsync(Stream);
        await store.DeleteStreamAsync(Other);

        // The same append as before the delete is no re-commit any more: it is stored anew.
        var again = await store.AppendAsync(Stream, ExpectedRevision.NoStream, events);
        Assert.Equal((3L, 5L), (again.FirstRevision, again.LastRevision));
        Assert.True(again.FirstPosition > original.LastPosition);
        Assert.NotEqual(original, again);
        Assert.Equal(events.Select(e => e.EventId), (await ReadStreamAsync(store, Stream)).Select(e => e.EventId));

        var elsewhere = await store.AppendAsync(Elsewhere, ExpectedRevision.NoStream, others[1]);
        Assert.Equal(0, elsewhere.FirstRevision);
        Assert.Equal(others[1].EventId, Assert.Single(await ReadStreamAsync(store, Elsewhere)).EventId);

        // Stored again, they are protected again.
        var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
            async () => await store.AppendAsync(Elsewhere, ExpectedRevision.Any, events[1]));
        Assert.Equal((Stream, 4L), (error.ExistingStream, error.ExistingRevision));
    }

    /// <summary>Ids of truncated events may be used again; ids of the events kept are still protected.</summary>
    [Fact]
    public async Task Ids_of_truncated_events_may_be_reused()
    {
        await using var store = await NewStoreAsync();
        var events = NewEvents(4);
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, events);
        await store.TruncateStreamAsync(Stream, 2);

        var reused = await store.AppendAsync(Other, ExpectedRevision.NoStream, events[0]);
        Assert.Equal(0, reused.FirstRevision);

        var recommitted = await store.AppendAsync(Stream, ExpectedRevision.Any, events[1]);
        Assert.Equal(4, recommitted.FirstRevision);
        Assert.Equal([events[2].EventId, events[3].EventId, events[1].EventId], (await ReadStreamAsync(store, Stream)).Select(e => e.EventId));

        var kept = await Assert.ThrowsAsync<DuplicateEventIdException>(
            async () => await store.AppendAsync(Elsewhere, ExpectedRevision.Any, events[3]));
        Assert.Equal((Stream, 3L), (kept.ExistingStream, kept.ExistingRevision));
    }

    /// <summary>Truncate and delete commit atomically with other operations, and a failing one rejects the whole batch.</summary>
    [Fact]
    public async Task Truncate_and_delete_are_atomic_with_the_rest_of_the_batch()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Stream, ExpectedRevision.NoStream, NewEvents(4));
        await store.AppendAsync(Other, ExpectedRevision.NoStream, NewEvents(2));
        var before = await FingerprintAsync(store, [Stream, Other, Elsewhere]);

        var failing = new CommitBatch()
            .TruncateStream(Stream, 2)
            .Append(Elsewhere, ExpectedRevision.NoStream, NewEvent())
            .DeleteStream(Other, ExpectedRevision.Exact(0));
        if (await store.RefusedAsNotAtomicAsync(failing))
        {
            Assert.Equal(before, await FingerprintAsync(store, [Stream, Other, Elsewhere]));
            return;
        }

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await store.CommitAsync(failing));
        Assert.Equal(before, await FingerprintAsync(store, [Stream, Other, Elsewhere]));

        await store.CommitAsync(new CommitBatch()
            .TruncateStream(Stream, 2)
            .Append(Elsewhere, ExpectedRevision.NoStream, NewEvent())
            .DeleteStream(Other, ExpectedRevision.Exact(1)));
        Assert.Equal([2L, 3L], (await ReadStreamAsync(store, Stream)).Select(e => e.Revision));
        Assert.Null(await store.GetStreamInfoAsync(Other));
        Assert.Single(await ReadStreamAsync(store, Elsewhere));
    }

    /// <summary>What a delete of <see cref="Stream"/> must not touch: the other streams' info and snapshots, and durable state under the same name.</summary>
    private static async Task<string> UntouchedAsync(IEventStore store)
    {
        var text = new StringBuilder();
        foreach (var stream in new[] { Other, Elsewhere })
        {
            var snapshot = await store.ReadSnapshotAsync(stream).ConfigureAwait(false);
            text.AppendLine($"{await store.GetStreamInfoAsync(stream).ConfigureAwait(false)} {snapshot?.Revision} {snapshot?.Type} {(snapshot is null ? null : Convert.ToBase64String(snapshot.Data.Span))}");
        }

        var state = await store.ReadStateAsync(Stream).ConfigureAwait(false);
        text.AppendLine($"{state?.Version} {state?.Type} {(state is null ? null : Convert.ToBase64String(state.Data.Span))}");
        return text.ToString();
    }

    private static (Guid EventId, StreamName Stream, long Revision, long Position) Identity(RecordedEvent e) => (e.EventId, e.Stream, e.Revision, e.Position);

    /// <summary>Writes six events to <see cref="Stream"/> and four to <see cref="Other"/>, interleaved in the log.</summary>
    private static async Task WriteInterleavedAsync(IEventStore store)
    {
        for (var i = 0; i < 3; i++)
        {
            await store.AppendAsync(Stream, ExpectedRevision.Any, NewEvents(2)).ConfigureAwait(false);
            await store.AppendAsync(i == 2 ? Elsewhere : Other, ExpectedRevision.Any, NewEvents(2)).ConfigureAwait(false);
        }
    }
}
