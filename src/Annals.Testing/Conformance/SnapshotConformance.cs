using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a store keeps snapshots as the storage contract says: a snapshot reads back exactly,
/// only a newer one that the stream already reaches (counting the same batch's appends) replaces
/// it, it commits atomically with the rest of its batch, and it goes away with its stream.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class SnapshotConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected SnapshotConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>A saved snapshot reads back with its stream, revision, type, every data byte and a timestamp.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Saved_snapshot_reads_back_with_revision_type_exact_data_and_timestamp()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        var data = AllByteValues();

        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 2, "Counter-v2_state", data));

        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(stream, snapshot.Stream);
        Assert.Equal(2, snapshot.Revision);
        Assert.Equal("Counter-v2_state", snapshot.Type);
        Assert.Equal(data, snapshot.Data.ToArray());
        Assert.NotEqual(default, snapshot.Timestamp);
    }

    /// <summary>A snapshot with empty data reads back with empty data.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_with_empty_data_reads_back_empty()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());

        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 0, "Empty", ReadOnlyMemory<byte>.Empty));

        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(0, snapshot.Revision);
        Assert.Equal(0, snapshot.Data.Length);
    }

    /// <summary>A snapshot at a newer revision replaces the stored one entirely.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Newer_snapshot_replaces_the_stored_one()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 1, "CounterV1", Text("""{"count":2}""")));
        await store.AppendAsync(stream, ExpectedRevision.Exact(1), NewEvents(3));

        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 3, "CounterV2", Text("""{"count":4,"more":true}""")));

        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(3, snapshot.Revision);
        Assert.Equal("CounterV2", snapshot.Type);
        Assert.Equal("""{"count":4,"more":true}""", Encoding.UTF8.GetString(snapshot.Data.Span));

        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 4, "CounterV2", Text("""{"count":5}""")));
        snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(4, snapshot.Revision);
        Assert.Equal("""{"count":5}""", Encoding.UTF8.GetString(snapshot.Data.Span));
    }

    /// <summary>A snapshot at the stored snapshot's revision or an older one is rejected and the stored one stays.</summary>
    /// <param name="revision">The revision of the rejected snapshot.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    public async Task Snapshot_not_newer_than_the_stored_one_is_rejected_and_the_stored_one_stays(long revision)
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(5));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 2, "Counter", Text("stored")));
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, revision, "Other", Text("rejected"))).AsTask());

        Assert.Equal(stream, error.Stream);
        Assert.Equal(revision, error.Revision);
        Assert.Equal(2, error.StoredRevision);
        Assert.Equal(4, error.StreamRevision);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(2, snapshot.Revision);
        Assert.Equal("Counter", snapshot.Type);
        Assert.Equal("stored", Encoding.UTF8.GetString(snapshot.Data.Span));
    }

    /// <summary>The error for a snapshot that is not newer names both revisions.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_not_newer_than_the_stored_one_fails_with_a_message_naming_both_revisions()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(4));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 3, "Counter", Text("stored")));

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 3, "Counter", Text("again"))).AsTask());

        Assert.Equal("Snapshot of 'counter.1' at revision 3 is not newer than the stored snapshot at revision 3.", error.Message);
    }

    /// <summary>A snapshot beyond the stream's last revision is rejected, and nothing is stored.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_beyond_the_last_revision_of_the_stream_is_rejected()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 3, "Counter", Text("ahead"))).AsTask());

        Assert.Equal(stream, error.Stream);
        Assert.Equal(3, error.Revision);
        Assert.Null(error.StoredRevision);
        Assert.Equal(2, error.StreamRevision);
        Assert.Equal("Snapshot of 'counter.1' at revision 3 is beyond the stream, whose last revision is 2.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Null(await store.ReadSnapshotAsync(stream));
    }

    /// <summary>A snapshot beyond the stream is rejected also when an older snapshot is stored, which stays.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_beyond_the_stream_is_rejected_when_an_older_snapshot_is_stored()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 1, "Counter", Text("stored")));
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 10, "Counter", Text("ahead"))).AsTask());

        Assert.Equal(10, error.Revision);
        Assert.Equal(1, error.StoredRevision);
        Assert.Equal(2, error.StreamRevision);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
    }

    /// <summary>A snapshot of a stream that was never written is rejected.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_of_a_missing_stream_is_rejected()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.missing");
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 0, "Counter", Text("none"))).AsTask());

        Assert.Equal(stream, error.Stream);
        Assert.Equal(0, error.Revision);
        Assert.Null(error.StoredRevision);
        Assert.Null(error.StreamRevision);
        Assert.Equal("Snapshot of 'counter.missing' at revision 0 is beyond the stream, which does not exist.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Null(await store.ReadSnapshotAsync(stream));
        Assert.Null(await store.GetStreamInfoAsync(stream));
    }

    /// <summary>A snapshot of a deleted stream is rejected: the stream no longer exists.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_of_a_deleted_stream_is_rejected()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.DeleteStreamAsync(stream);
        var before = await FingerprintAsync(store, [stream]);

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 1, "Counter", Text("gone"))).AsTask());

        Assert.Null(error.StreamRevision);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Null(await store.ReadSnapshotAsync(stream));
    }

    /// <summary>A snapshot at a revision appended earlier in the same batch is accepted and committed with the events.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_at_a_revision_appended_in_the_same_batch_is_accepted()
    {
        await using var store = await NewStoreAsync();
        var existing = S("counter.1");
        var created = S("counter.2");
        await store.AppendAsync(existing, ExpectedRevision.NoStream, NewEvents(2));

        var batch = new CommitBatch()
            .Append(existing, ExpectedRevision.Exact(1), NewEvents(3))
            .SaveSnapshot(existing, 4, "Counter", Text("five"))
            .Append(created, ExpectedRevision.NoStream, NewEvents(1))
            .SaveSnapshot(created, 0, "Counter", Text("one"));
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Null(await store.ReadSnapshotAsync(existing));
            Assert.Null(await store.GetStreamInfoAsync(created));
            return;
        }

        var result = await store.CommitAsync(batch);

        Assert.Equal(4, result.Appends[0].LastRevision);
        Assert.Equal(0, result.Appends[1].LastRevision);
        var snapshot = await store.ReadSnapshotAsync(existing);
        Assert.NotNull(snapshot);
        Assert.Equal(4, snapshot.Revision);
        Assert.Equal("five", Encoding.UTF8.GetString(snapshot.Data.Span));
        var createdSnapshot = await store.ReadSnapshotAsync(created);
        Assert.NotNull(createdSnapshot);
        Assert.Equal(0, createdSnapshot.Revision);
        Assert.Equal(5, (await ReadStreamAsync(store, existing)).Count);
        Assert.Single(await ReadStreamAsync(store, created));
    }

    /// <summary>A snapshot beyond even the revisions appended in the same batch is rejected, and so are those appends.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_beyond_the_revisions_appended_in_the_same_batch_rejects_the_batch()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var before = await FingerprintAsync(store, [stream]);

        var batch = new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, NewEvents(2))
            .SaveSnapshot(stream, 2, "Counter", Text("ahead"));
        if (await store.RefusedAsNotAtomicAsync(batch))
        {
            Assert.Equal(before, await FingerprintAsync(store, [stream]));
            return;
        }

        var error = await Assert.ThrowsAsync<SnapshotConflictException>(() => store.CommitAsync(batch).AsTask());

        Assert.Equal(stream, error.Stream);
        Assert.Equal(2, error.Revision);
        Assert.Null(error.StoredRevision);
        Assert.Equal(1, error.StreamRevision);
        Assert.Equal(before, await FingerprintAsync(store, [stream]));
        Assert.Null(await store.GetStreamInfoAsync(stream));
        Assert.Null(await store.ReadSnapshotAsync(stream));
    }

    /// <summary>When an append of the batch fails its expectation, the batch's snapshot is not stored either.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_is_not_stored_when_an_append_of_its_batch_fails()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var other = S("counter.2");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 0, "Counter", Text("stored")));
        var before = await FingerprintAsync(store, [stream, other]);

        // The snapshot alone would be valid (revision 2 exists); only the append to the other stream fails.
        var withOther = new CommitBatch()
            .SaveSnapshot(stream, 2, "Counter", Text("rejected"))
            .Append(other, ExpectedRevision.StreamExists, NewEvent());
        if (!await store.RefusedAsNotAtomicAsync(withOther))
        {
            var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.CommitAsync(withOther).AsTask());
            Assert.Equal(other, error.Stream);
        }

        // Here the append that the snapshot depends on fails.
        var dependent = new CommitBatch()
            .Append(stream, ExpectedRevision.Exact(1), NewEvents(2))
            .SaveSnapshot(stream, 4, "Counter", Text("rejected"));
        if (!await store.RefusedAsNotAtomicAsync(dependent))
        {
            await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.CommitAsync(dependent).AsTask());
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream, other]));
        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(0, snapshot.Revision);
        Assert.Equal("stored", Encoding.UTF8.GetString(snapshot.Data.Span));
    }

    /// <summary>A snapshot conflict rejects every other operation of its batch.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_conflict_rejects_the_whole_batch()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var other = S("counter.2");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 2, "Counter", Text("stored")));
        await store.AppendAsync(other, ExpectedRevision.NoStream, NewEvents(1));
        var before = await FingerprintAsync(store, [stream, other]);

        var batch = new CommitBatch()
            .Append(other, ExpectedRevision.Exact(0), NewEvents(2))
            .SaveSnapshot(other, 1, "Counter", Text("valid"))
            .SaveSnapshot(stream, 1, "Counter", Text("older"));
        if (!await store.RefusedAsNotAtomicAsync(batch))
        {
            await Assert.ThrowsAsync<SnapshotConflictException>(() => store.CommitAsync(batch).AsTask());
        }

        Assert.Equal(before, await FingerprintAsync(store, [stream, other]));
        Assert.Null(await store.ReadSnapshotAsync(other));
    }

    /// <summary>A snapshot saved in the same batch as a truncation of the events it folds reads back, and the stream keeps its later events.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshot_saved_with_a_truncation_of_the_events_it_folds_is_kept()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(6));

        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .SaveSnapshot(stream, 3, "Counter", Text("four"))
            .TruncateStream(stream, 4));

        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(3, snapshot.Revision);
        Assert.Equal([4L, 5L], (await ReadStreamAsync(store, stream)).Select(e => e.Revision));

        await store.TruncateStreamAsync(stream, 6);
        snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(3, snapshot.Revision);
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 5, "Counter", Text("six")));
        Assert.Equal(5, (await store.ReadSnapshotAsync(stream))?.Revision);
    }

    /// <summary>DeleteSnapshot removes the snapshot, leaves the events, and lets an older revision be saved again.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task DeleteSnapshot_removes_the_snapshot_and_keeps_the_events()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 2, "Counter", Text("stored")));
        var events = await ReadStreamAsync(store, stream);

        await store.CommitAsync(new CommitBatch().DeleteSnapshot(stream));

        Assert.Null(await store.ReadSnapshotAsync(stream));
        Assert.Equal(events.Select(e => e.EventId), (await ReadStreamAsync(store, stream)).Select(e => e.EventId));

        // With no snapshot stored, any revision the stream reaches is newer.
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, 0, "Counter", Text("rebuilt")));
        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(0, snapshot.Revision);
        Assert.Equal("rebuilt", Encoding.UTF8.GetString(snapshot.Data.Span));
    }

    /// <summary>Deleting a snapshot that does not exist succeeds and changes nothing, on an existing stream and on a missing one.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task DeleteSnapshot_of_a_missing_snapshot_succeeds_and_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var missing = S("counter.missing");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        var before = await FingerprintAsync(store, [stream, missing]);

        var result = await store.CommitWholeOrInPartsAsync(new CommitBatch().DeleteSnapshot(stream).DeleteSnapshot(missing));

        Assert.Empty(result.Appends);
        Assert.Equal(before, await FingerprintAsync(store, [stream, missing]));
        Assert.Null(await store.GetStreamInfoAsync(missing));
    }

    /// <summary>Deleting a stream removes its snapshot, which stays gone when the stream is written again.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Deleting_the_stream_removes_its_snapshot()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var other = S("counter.2");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(other, ExpectedRevision.NoStream, NewEvents(1));
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .SaveSnapshot(stream, 2, "Counter", Text("deleted"))
            .SaveSnapshot(other, 0, "Counter", Text("kept")));

        await store.DeleteStreamAsync(stream);

        Assert.Null(await store.ReadSnapshotAsync(stream));
        Assert.Equal("kept", Encoding.UTF8.GetString((await store.ReadSnapshotAsync(other))!.Data.Span));

        var recreated = await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        Assert.Null(await store.ReadSnapshotAsync(stream));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, recreated.LastRevision, "Counter", Text("new")));
        Assert.Equal(recreated.LastRevision, (await store.ReadSnapshotAsync(stream))?.Revision);
    }

    /// <summary>Reading the snapshot of a stream that has none returns null.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reading_a_missing_snapshot_returns_null()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");

        Assert.Null(await store.ReadSnapshotAsync(S("counter.never")));
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(2));
        Assert.Null(await store.ReadSnapshotAsync(stream));
    }

    /// <summary>Snapshots of different streams, also of similar names, do not affect each other.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Snapshots_of_different_streams_are_independent()
    {
        await using var store = await NewStoreAsync();
        StreamName[] streams = [S("counter.1"), S("counter.10"), S("Counter.1"), S("counters.1")];
        foreach (var stream in streams)
        {
            await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvents(3));
        }

        for (var i = 0; i < streams.Length; i++)
        {
            await store.CommitAsync(new CommitBatch().SaveSnapshot(streams[i], i % 3, $"Counter{i}", Text($"state {i}")));
        }

        await store.CommitAsync(new CommitBatch().DeleteSnapshot(streams[0]));
        await store.CommitAsync(new CommitBatch().SaveSnapshot(streams[1], 2, "Counter1", Text("state 1 newer")));

        Assert.Null(await store.ReadSnapshotAsync(streams[0]));
        var second = await store.ReadSnapshotAsync(streams[1]);
        Assert.Equal((2L, "state 1 newer"), (second!.Revision, Encoding.UTF8.GetString(second.Data.Span)));
        for (var i = 2; i < streams.Length; i++)
        {
            var snapshot = await store.ReadSnapshotAsync(streams[i]);
            Assert.NotNull(snapshot);
            Assert.Equal(streams[i], snapshot.Stream);
            Assert.Equal(i % 3, snapshot.Revision);
            Assert.Equal($"Counter{i}", snapshot.Type);
            Assert.Equal($"state {i}", Encoding.UTF8.GetString(snapshot.Data.Span));
        }
    }

    private static byte[] AllByteValues() => [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0, 0xFF, 0];
}
