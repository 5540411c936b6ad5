using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Guarantee 5, idempotent appends: re-committing events whose ids are stored in that stream, in the
/// same order, returns the original result and stores nothing twice; any other reuse of an id is an error.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class IdempotencyConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected IdempotencyConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many writers race to commit the same events in the concurrent re-commit test.</summary>
    protected virtual int ConcurrentWriters => 8;

    /// <summary>Re-committing one event returns the original result and stores nothing, even with the now stale NoStream expectation.</summary>
    [Fact]
    public async Task Recommit_of_one_event_returns_original_result_and_stores_nothing()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var e = NewEvent();
        var original = await store.AppendAsync(stream, ExpectedRevision.NoStream, e);
        var before = await FingerprintAsync(store, [stream]);

        var again = await store.AppendAsync(stream, ExpectedRevision.NoStream, e);
        var third = await store.AppendAsync(stream, ExpectedRevision.Any, e);

        Assert.Equal(original, again);
        Assert.Equal(original, third);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Single(await ReadStreamAsync(store, stream));
    }

    /// <summary>Re-committing a multi-event append returns the original result under every expectation, checked or stale.</summary>
    [Fact]
    public async Task Recommit_of_several_events_returns_original_result_whatever_the_expectation()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(4);
        await store.AppendAsync(S("other.1"), ExpectedRevision.NoStream, NewEvents(2));
        var original = await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [stream, S("other.1")]);

        ExpectedRevision[] expectations = [ExpectedRevision.NoStream, ExpectedRevision.Any, ExpectedRevision.StreamExists, ExpectedRevision.Exact(3), ExpectedRevision.Exact(0), ExpectedRevision.Exact(99)];
        foreach (var expected in expectations)
        {
            var again = await store.AppendAsync(stream, expected, events);
            Assert.Equal(original, again);
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream, S("other.1")]));
        Assert.Equal(events.Select(e => e.EventId), (await ReadStreamAsync(store, stream)).Select(e => e.EventId));
    }

    /// <summary>Re-committing an earlier append after the stream moved on returns that append's original result.</summary>
    [Fact]
    public async Task Recommit_of_earlier_append_after_stream_moved_on_returns_its_original_result()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var first = NewEvents(2);
        var second = NewEvents(3);
        var third = NewEvents(1);
        var firstResult = await store.AppendAsync(stream, ExpectedRevision.NoStream, first);
        var secondResult = await store.AppendAsync(stream, ExpectedRevision.Exact(1), second);
        await store.AppendAsync(S("other.1"), ExpectedRevision.Any, NewEvent());
        await store.AppendAsync(stream, ExpectedRevision.Exact(4), third);
        var before = await FingerprintAsync(store, [stream]);

        Assert.Equal(firstResult, await store.AppendAsync(stream, ExpectedRevision.NoStream, first));
        Assert.Equal(secondResult, await store.AppendAsync(stream, ExpectedRevision.Exact(1), second));
        Assert.Equal((2L, 4L), (secondResult.FirstRevision, secondResult.LastRevision));

        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Equal(6, (await ReadStreamAsync(store, stream)).Count);
    }

    /// <summary>The re-commit is decided by the ids: new instances with the same ids (and other data) store nothing and keep the stored data.</summary>
    [Fact]
    public async Task Recommit_is_decided_by_ids_and_keeps_stored_data()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(2);
        var original = await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [stream]);
        var copies = events.Select(e => new EventData(e.EventId, "Changed", Encoding.UTF8.GetBytes("""{"changed":true}"""))).ToArray();

        var again = await store.AppendAsync(stream, ExpectedRevision.Any, copies);

        Assert.Equal(original, again);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        var read = await ReadStreamAsync(store, stream);
        Assert.Equal(events.Select(e => e.Data.ToArray()), read.Select(e => e.Data.ToArray()));
        Assert.All(read, e => Assert.Equal("Happened", e.Type));
    }

    /// <summary>An idempotent re-commit inside a batch lets the batch's other operations take effect.</summary>
    [Fact]
    public async Task Recommit_inside_a_batch_returns_original_result_and_the_rest_is_stored()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var other = S("account.2");
        var events = NewEvents(2);
        var original = await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var fresh = NewEvents(2);

        var batch = new CommitBatch()
            .Append(other, ExpectedRevision.NoStream, fresh)
            .Append(stream, ExpectedRevision.NoStream, events)
            .SaveCheckpoint("idempotency", 1, null);
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            return;
        }

        var result = await store.CommitAsync(batch);

        Assert.Equal(2, result.Appends.Count);
        Assert.Equal(other, result.Appends[0].Stream);
        Assert.Equal((0L, 1L), (result.Appends[0].FirstRevision, result.Appends[0].LastRevision));
        Assert.True(result.Appends[0].FirstPosition > original.LastPosition);
        Assert.Equal(original, result.Appends[1]);
        Assert.Equal(events.Select(e => e.EventId), (await ReadStreamAsync(store, stream)).Select(e => e.EventId));
        Assert.Equal(fresh.Select(e => e.EventId), (await ReadStreamAsync(store, other)).Select(e => e.EventId));
        Assert.Equal(4, (await ReadAllAsync(store)).Count);
        Assert.Equal(1, await store.ReadCheckpointAsync("idempotency"));
    }

    /// <summary>An idempotent re-commit does not rescue a batch whose other operation fails: nothing is stored.</summary>
    [Fact]
    public async Task Recommit_inside_a_failing_batch_stores_nothing()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(2);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvent());
        var before = await FingerprintAsync(store, [stream, S("account.2"), S("account.3")]);

        var batch = new CommitBatch()
            .Append(stream, ExpectedRevision.Any, events)
            .Append(S("account.3"), ExpectedRevision.NoStream, NewEvents(2))
            .Append(S("account.2"), ExpectedRevision.NoStream, NewEvent());
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Equal(before, await FingerprintAsync(store, [stream, S("account.2"), S("account.3")]));
            return;
        }

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await store.CommitAsync(batch));

        Assert.Equal(S("account.2"), error.Stream);
        Assert.Equal(0, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, [stream, S("account.2"), S("account.3")]));
    }

    /// <summary>Reusing a stored id in another stream fails with a <see cref="DuplicateEventIdException"/> naming both streams.</summary>
    [Fact]
    public async Task Reuse_of_id_in_another_stream_fails()
    {
        await using var store = await NewStoreAsync();
        var events = NewEvents(3);
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [S("account.1"), S("account.2")]);

        var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
            async () => await store.AppendAsync(S("account.2"), ExpectedRevision.Any, [NewEvent(), events[1]]));

        Assert.Equal(events[1].EventId, error.EventId);
        Assert.Equal(S("account.2"), error.Stream);
        Assert.Equal(S("account.1"), error.ExistingStream);
        Assert.Equal(1, error.ExistingRevision);
        Assert.Equal(
            $"Append to 'account.2' reuses event id {events[1].EventId}, already stored in 'account.1' at revision 1; only a re-commit of the same events in the same order to the same stream is idempotent.",
            error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [S("account.1"), S("account.2")]));
    }

    /// <summary>Re-committing all the ids of an append to another stream is not a re-commit: it fails.</summary>
    [Fact]
    public async Task Whole_append_sent_to_another_stream_fails()
    {
        await using var store = await NewStoreAsync();
        var events = NewEvents(2);
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [S("account.1"), S("account.2")]);

        var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
            async () => await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, events));

        Assert.Contains(error.EventId, events.Select(e => e.EventId));
        Assert.Equal(S("account.2"), error.Stream);
        Assert.Equal(S("account.1"), error.ExistingStream);
        Assert.Equal(Array.FindIndex(events, e => e.EventId == error.EventId), error.ExistingRevision);
        Assert.Equal(before, await FingerprintAsync(store, [S("account.1"), S("account.2")]));
    }

    /// <summary>The same ids in another order are not a re-commit: they fail and change nothing.</summary>
    [Fact]
    public async Task Same_ids_in_other_order_fail()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(3);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [stream]);

        EventData[][] reorderings = [[events[1], events[0], events[2]], [events[2], events[1], events[0]], [events[0], events[2], events[1]]];
        foreach (var reordered in reorderings)
        {
            var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
                async () => await store.AppendAsync(stream, ExpectedRevision.Any, reordered));
            Assert.Equal(stream, error.Stream);
            Assert.Equal(stream, error.ExistingStream);
            Assert.Contains(error.EventId, events.Select(e => e.EventId));
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream]));
    }

    /// <summary>Stored ids mixed with new ones, before or after them, are not a re-commit: they fail and change nothing.</summary>
    [Fact]
    public async Task Stored_ids_mixed_with_new_ones_fail()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(3);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [stream]);

        EventData[][] attempts =
        [
            [.. events, NewEvent()],
            [NewEvent(), .. events],
            [events[0], NewEvent(), events[1], events[2]],
            [events[2], NewEvent()],
            [NewEvent(), events[0]],
        ];
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
                async () => await store.AppendAsync(stream, ExpectedRevision.Any, attempt));
            Assert.Equal(stream, error.Stream);
            Assert.Equal(stream, error.ExistingStream);
            var reused = Array.FindIndex(events, e => e.EventId == error.EventId);
            Assert.True(reused >= 0, "the error names a stored id");
            Assert.Equal(reused, error.ExistingRevision);
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream]));
    }

    /// <summary>Stored ids that are not at consecutive revisions, or span a gap, are not a re-commit: they fail.</summary>
    [Fact]
    public async Task Stored_ids_not_at_consecutive_revisions_fail()
    {
        await using var store = await NewStoreAsync();
        var stream = S("account.1");
        var events = NewEvents(4);
        await store.AppendAsync(stream, ExpectedRevision.NoStream, events);
        var before = await FingerprintAsync(store, [stream]);

        EventData[][] attempts = [[events[0], events[2]], [events[1], events[3]], [events[0], events[1], events[3]], [events[3], events[0]]];
        foreach (var attempt in attempts)
        {
            var error = await Assert.ThrowsAsync<DuplicateEventIdException>(
                async () => await store.AppendAsync(stream, ExpectedRevision.Any, attempt));
            Assert.Equal(stream, error.ExistingStream);
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream]));
    }

    /// <summary>A stored id reused by a batch that is otherwise valid rejects the whole batch.</summary>
    [Fact]
    public async Task Duplicate_id_rejects_whole_batch()
    {
        await using var store = await NewStoreAsync();
        var stored = NewEvent();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, stored);
        var before = await FingerprintAsync(store, [S("account.1"), S("account.2"), S("account.3")], consumers: ["dup"]);

        var batch = new CommitBatch()
            .Append(S("account.2"), ExpectedRevision.NoStream, NewEvents(2))
            .SaveCheckpoint("dup", 5, null)
            .Append(S("account.3"), ExpectedRevision.NoStream, [NewEvent(), stored]);
        if (!await store.RefusedAsNotAtomicAsync(batch))
        {
            await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.CommitAsync(batch));
        }

        Assert.Equal(before, await FingerprintAsync(store, [S("account.1"), S("account.2"), S("account.3")], consumers: ["dup"]));
        Assert.Equal(0, (await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, NewEvent())).FirstRevision);
    }

    /// <summary>An id twice in one append is an invalid batch, rejected before anything is stored.</summary>
    [Fact]
    public async Task Duplicate_id_within_one_append_is_invalid_batch()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("account.1"), ExpectedRevision.NoStream, NewEvent());
        var before = await FingerprintAsync(store, [S("account.1"), S("account.2")]);
        var e = NewEvent();

        var error = await Assert.ThrowsAsync<InvalidBatchException>(
            async () => await store.AppendAsync(S("account.2"), ExpectedRevision.NoStream, [e, NewEvent(), e]));

        Assert.Equal($"event id {e.EventId} appears more than once", error.Reason);
        Assert.Equal($"Invalid batch: event id {e.EventId} appears more than once.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [S("account.1"), S("account.2")]));
    }

    /// <summary>An id in two appends of one batch is an invalid batch, even if the id is new.</summary>
    [Fact]
    public async Task Duplicate_id_across_appends_of_one_batch_is_invalid_batch()
    {
        await using var store = await NewStoreAsync();
        var before = await FingerprintAsync(store, [S("account.1"), S("account.2")]);
        var e = NewEvent();
        var copy = new EventData(e.EventId, "Other", new byte[] { 1, 2 });

        var error = await Assert.ThrowsAsync<InvalidBatchException>(async () => await store.CommitAsync(new CommitBatch()
            .Append(S("account.1"), ExpectedRevision.NoStream, e)
            .Append(S("account.2"), ExpectedRevision.NoStream, copy)));

        Assert.Contains(e.EventId.ToString(), error.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await FingerprintAsync(store, [S("account.1"), S("account.2")]));
    }

    /// <summary>Re-commit stores nothing twice in the log either: the log and head are unchanged after many retries.</summary>
    [Fact]
    public async Task Many_retries_leave_log_and_head_unchanged()
    {
        await using var store = await NewStoreAsync();
        var batches = Enumerable.Range(0, 5).Select(i => (Stream: S($"account.{i}"), Events: NewEvents(1 + i))).ToArray();
        var originals = new List<AppendResult>();
        foreach (var (stream, events) in batches)
        {
            originals.Add(await store.AppendAsync(stream, ExpectedRevision.NoStream, events));
        }

        var head = await store.GetHeadPositionAsync();
        var log = await ReadAllAsync(store);

        for (var retry = 0; retry < 3; retry++)
        {
            for (var i = batches.Length - 1; i >= 0; i--)
            {
                Assert.Equal(originals[i], await store.AppendAsync(batches[i].Stream, ExpectedRevision.NoStream, batches[i].Events));
            }
        }

        Assert.Equal(head, await store.GetHeadPositionAsync());
        Assert.Equal(log.Select(e => (e.EventId, e.Position)), (await ReadAllAsync(store)).Select(e => (e.EventId, e.Position)));

        // The store still assigns the next position after the head.
        var next = await store.AppendAsync(S("account.9"), ExpectedRevision.NoStream, NewEvent());
        Assert.True(next.FirstPosition > head);
    }

    /// <summary>Writers racing to commit the same events store them once, and every writer gets the same result.</summary>
    [Fact]
    public async Task Concurrent_commits_of_same_events_store_them_once()
    {
        await using var store = await NewStoreAsync();
        using var timeout = new CancellationTokenSource(Patience);
        for (var round = 0; round < 5; round++)
        {
            var stream = S($"race.{round}");
            var events = NewEvents(3);
            var results = await RunTogetherAsync(
                ConcurrentWriters,
                (_, ct) => store.AppendAsync(stream, ExpectedRevision.NoStream, events, ct).AsTask(),
                timeout.Token);

            Assert.All(results, r => Assert.Equal(results[0], r));
            Assert.Equal((0L, 2L), (results[0].FirstRevision, results[0].LastRevision));
            var read = await ReadStreamAsync(store, stream);
            Assert.Equal(events.Select(e => e.EventId), read.Select(e => e.EventId));
            Assert.Equal(results[0].FirstPosition, read[0].Position);
        }

        var log = await ReadAllAsync(store);
        Assert.Equal(15, log.Count);
        Assert.Equal(15, log.Select(e => e.EventId).Distinct().Count());
    }
}
