using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a store keeps durable queues as the storage contract says: a message reads back with
/// every field, due or not when read by id, due messages come earliest first (ties in enqueue
/// order), every change carries the message's revision, a wrong one changes nothing, and queue
/// operations commit atomically with the rest of their batch.
/// </summary>
/// <remarks>
/// Due times are whole milliseconds and are compared as milliseconds, since a store may keep no
/// finer precision than microseconds, nor the offset a time was given in.
/// </remarks>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class QueueConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected QueueConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many messages the due-order test enqueues (in four commits).</summary>
    protected virtual int DueOrderMessageCount => 20;

    /// <summary>How many writers race to reschedule the same message in the concurrency test.</summary>
    protected virtual int ConcurrentWriters => 16;

    /// <summary>How many times the writers race in the concurrency test.</summary>
    protected virtual int ConcurrencyRounds => 20;

    /// <summary>An enqueued message reads back with every field it was given, revision 0, no failures and an enqueue time.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Enqueued_message_reads_back_with_all_fields()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0];
        var metadata = new Dictionary<string, string> { ["correlation-id"] = "c-1", ["user"] = "Zoë 😀", ["empty"] = string.Empty };
        var dueAt = new DateTimeOffset(2031, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("processes/timeouts", id, "Payment-timeout_v1", data, dueAt, metadata));

        var message = Assert.Single(await store.ReadDueMessagesAsync("processes/timeouts", DateTimeOffset.MaxValue));
        Assert.Equal("processes/timeouts", message.Queue);
        Assert.Equal(id, message.MessageId);
        Assert.Equal("Payment-timeout_v1", message.Type);
        Assert.Equal(data, message.Data.ToArray());
        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), message.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(dueAt.ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
        Assert.Equal(0, message.FailureCount);
        Assert.Null(message.LastError);
        Assert.Equal(0, message.Revision);
        Assert.NotEqual(default, message.EnqueuedAt);
    }

    /// <summary>A message with empty data and no metadata reads back with empty data and empty metadata.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Message_with_empty_data_and_no_metadata_reads_back_empty()
    {
        await using var store = await NewStoreAsync();

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", Guid.NewGuid(), "Job", ReadOnlyMemory<byte>.Empty, T0));

        var message = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        Assert.Equal(0, message.Data.Length);
        Assert.Empty(message.Metadata);
    }

    /// <summary>
    /// Messages enqueued out of order over several commits come back earliest first, and only those
    /// due at or before the given time (inclusive).
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Due_messages_are_those_due_by_the_time_given_earliest_first()
    {
        await using var store = await NewStoreAsync();
        var count = DueOrderMessageCount;
        var offsets = Enumerable.Range(0, count).Select(i => i * 1_000L).ToArray();
        new Random(20310314).Shuffle(offsets);
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        var chunk = Math.Max(1, count / 4);
        for (var start = 0; start < count; start += chunk)
        {
            var batch = new CommitBatch();
            for (var i = start; i < Math.Min(count, start + chunk); i++)
            {
                batch.Enqueue("jobs", ids[i], "Job", Text($"job {i}"), Due(offsets[i]));
            }

            await store.CommitWholeOrInPartsAsync(batch);
        }

        var expected = Enumerable.Range(0, count).OrderBy(i => offsets[i]).Select(i => ids[i]).ToArray();

        var all = await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue);
        Assert.Equal(expected, all.Select(m => m.MessageId));
        Assert.Equal(offsets.Order().Select(o => Due(o).ToUnixTimeMilliseconds()), all.Select(m => m.DueAt.ToUnixTimeMilliseconds()));

        var half = count / 2;
        var boundary = Due((half - 1) * 1_000L);
        Assert.Equal(expected.Take(half), (await store.ReadDueMessagesAsync("jobs", boundary)).Select(m => m.MessageId));
        Assert.Equal(expected.Take(half - 1), (await store.ReadDueMessagesAsync("jobs", boundary.AddMilliseconds(-1))).Select(m => m.MessageId));
        Assert.Empty(await store.ReadDueMessagesAsync("jobs", T0.AddMilliseconds(-1)));
        Assert.Equal([expected[0]], (await store.ReadDueMessagesAsync("jobs", T0)).Select(m => m.MessageId));
    }

    /// <summary>Messages due at the same time come in enqueue order, within a batch and across commits, whatever their ids.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Due_messages_with_equal_due_times_come_in_enqueue_order()
    {
        await using var store = await NewStoreAsync();

        // Ids descend in every ordering a store might apply (bytes, text, Guid), so ordering by id would fail.
        var ids = Ids(7);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", ids[0], "Job", Text("a"), Due(1))
            .Enqueue("jobs", ids[1], "Job", Text("b"), Due(0))
            .Enqueue("jobs", ids[2], "Job", Text("c"), Due(1)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", ids[3], "Job", Text("d"), Due(1))
            .Enqueue("jobs", ids[4], "Job", Text("e"), Due(0)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", ids[5], "Job", Text("f"), Due(2)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", ids[6], "Job", Text("g"), Due(1)));

        var due = await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue);

        Assert.Equal(["b", "e", "a", "c", "d", "g", "f"], due.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(["b", "e", "a"], (await store.ReadDueMessagesAsync("jobs", Due(1), maxCount: 3)).Select(m => Encoding.UTF8.GetString(m.Data.Span)));
    }

    /// <summary>Due order compares instants, not the local times of the offsets the due times were given in.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Due_order_compares_instants_whatever_their_offsets()
    {
        await using var store = await NewStoreAsync();
        var ids = Ids(3);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", ids[0], "Job", Text("09:00Z"), new DateTimeOffset(2031, 1, 1, 9, 0, 0, TimeSpan.Zero))
            .Enqueue("jobs", ids[1], "Job", Text("08:00Z"), new DateTimeOffset(2031, 1, 1, 10, 0, 0, TimeSpan.FromHours(2)))
            .Enqueue("jobs", ids[2], "Job", Text("08:30Z"), new DateTimeOffset(2031, 1, 1, 7, 30, 0, TimeSpan.FromHours(-1))));

        var all = await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue);
        var dueBy = await store.ReadDueMessagesAsync("jobs", new DateTimeOffset(2031, 1, 1, 13, 45, 0, TimeSpan.FromHours(5)));

        Assert.Equal(["08:00Z", "08:30Z", "09:00Z"], all.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(["08:00Z", "08:30Z"], dueBy.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(new DateTimeOffset(2031, 1, 1, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), all[0].DueAt.ToUnixTimeMilliseconds());
    }

    /// <summary>A read returns at most maxCount messages, the earliest ones; 0 returns none and a negative count throws.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadDueMessages_returns_at_most_maxCount_earliest_messages()
    {
        await using var store = await NewStoreAsync();
        var ids = Ids(5);
        var batch = new CommitBatch();
        foreach (var i in new[] { 3, 0, 4, 1, 2 })
        {
            batch.Enqueue("jobs", ids[i], "Job", Text($"{i}"), Due(i * 10));
        }

        await store.CommitWholeOrInPartsAsync(batch);

        Assert.Equal(ids.Take(3), (await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue, maxCount: 3)).Select(m => m.MessageId));
        Assert.Equal(ids.Take(2), (await store.ReadDueMessagesAsync("jobs", Due(10), maxCount: 3)).Select(m => m.MessageId));
        Assert.Equal(ids.Take(1), (await store.ReadDueMessagesAsync("jobs", Due(40), maxCount: 1)).Select(m => m.MessageId));
        Assert.Equal(ids, (await store.ReadDueMessagesAsync("jobs", Due(40), maxCount: 5)).Select(m => m.MessageId));
        Assert.Empty(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue, maxCount: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue, maxCount: -1));
    }

    /// <summary>Queues, also of similar names, are independent: the same id may be in each, and changes to one leave the others.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Queues_are_independent()
    {
        await using var store = await NewStoreAsync();
        string[] queues = ["jobs", "Jobs", "jobs.retry", "jobs:retry", "jobs/retry"];
        var shared = Guid.NewGuid();
        for (var i = 0; i < queues.Length; i++)
        {
            await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue(queues[i], shared, "Job", Text(queues[i]), Due(i)));
        }

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule(queues[0], shared, 0, Due(100), 1, "boom"));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().RemoveMessage(queues[1], shared, 0));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue(queues[2], Guid.NewGuid(), "Job", Text("second"), Due(50)));

        var first = Assert.Single(await store.ReadDueMessagesAsync(queues[0], DateTimeOffset.MaxValue));
        Assert.Equal((1L, 1, "boom"), (first.Revision, first.FailureCount, first.LastError));
        Assert.Empty(await store.ReadDueMessagesAsync(queues[1], DateTimeOffset.MaxValue));
        Assert.Equal([queues[2], "second"], (await store.ReadDueMessagesAsync(queues[2], DateTimeOffset.MaxValue)).Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        for (var i = 2; i < queues.Length; i++)
        {
            var message = (await store.ReadDueMessagesAsync(queues[i], DateTimeOffset.MaxValue))[0];
            Assert.Equal((queues[i], shared, 0L, 0, queues[i]), (message.Queue, message.MessageId, message.Revision, message.FailureCount, Encoding.UTF8.GetString(message.Data.Span)));
        }

        Assert.Empty(await store.ReadDueMessagesAsync("jobs.other", DateTimeOffset.MaxValue));
    }

    /// <summary>Enqueueing an id the queue holds is rejected with expected null and the stored revision, and the stored message stays.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Enqueue_of_an_existing_id_is_rejected_and_changes_nothing()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("first"), Due(0)));
        var before = await FingerprintAsync(store, queues: ["jobs"]);

        var error = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().Enqueue("jobs", id, "Other", Text("second"), Due(5))).AsTask());

        Assert.Equal("jobs", error.Queue);
        Assert.Equal(id, error.MessageId);
        Assert.Null(error.Expected);
        Assert.Equal(0L, error.Actual);
        Assert.Equal($"Message {id} in queue 'jobs' was expected not to exist but is at revision 0.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, queues: ["jobs"]));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 0, Due(1), 1));
        error = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("third"), Due(5))).AsTask());
        Assert.Null(error.Expected);
        Assert.Equal(1L, error.Actual);
        var message = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        Assert.Equal(("Job", "first"), (message.Type, Encoding.UTF8.GetString(message.Data.Span)));
    }

    /// <summary>Enqueuing a stored id fails on that message, also when a later operation of the batch fails too, and nothing is stored.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Enqueue_of_a_stored_id_fails_on_that_message_before_any_later_operation()
    {
        await using var store = await NewStoreAsync();
        var stored = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("mail", stored, "Send", Text("first"), DateTimeOffset.UnixEpoch));

        var error = await store.CommitFailsAsync<QueueMessageConflictException>(new CommitBatch()
            .Enqueue("mail", Guid.NewGuid(), "Send", Text("new"), DateTimeOffset.UnixEpoch)
            .Enqueue("mail", stored, "Send", Text("again"), DateTimeOffset.UnixEpoch)
            .SaveCheckpoint("c", 5, 4));

        Assert.Equal(("mail", stored), error is null ? ("mail", stored) : (error.Queue, error.MessageId));
        var messages = await store.ReadDueMessagesAsync("mail", DateTimeOffset.MaxValue);
        Assert.Equal("first", Encoding.UTF8.GetString(Assert.Single(messages).Data.Span));
        Assert.Null(await store.ReadCheckpointAsync("c"));
    }

    /// <summary>Reschedule at the stored revision moves the due time, records the failure and increments the revision; the rest stays.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reschedule_at_the_stored_revision_moves_the_message_and_increments_its_revision()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        var metadata = new Dictionary<string, string> { ["correlation-id"] = "c-7" };
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("payload"), Due(0), metadata));
        var enqueued = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        const string error = "TimeoutException: took too long\n   at Handler.Run() — ünïcödé";

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 0, Due(60_000), 1, error));

        var message = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        Assert.Equal(Due(60_000).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
        Assert.Equal(1, message.FailureCount);
        Assert.Equal(error, message.LastError);
        Assert.Equal(1, message.Revision);
        Assert.Equal((id, "Job", "payload"), (message.MessageId, message.Type, Encoding.UTF8.GetString(message.Data.Span)));
        Assert.Equal("c-7", Assert.Single(message.Metadata).Value);
        Assert.Equal(enqueued.EnqueuedAt.ToUnixTimeMilliseconds(), message.EnqueuedAt.ToUnixTimeMilliseconds());
        Assert.Empty(await store.ReadDueMessagesAsync("jobs", Due(59_999)));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 1, Due(30_000), 0, lastError: null));

        message = Assert.Single(await store.ReadDueMessagesAsync("jobs", Due(30_000)));
        Assert.Equal((2L, 0, (string?)null), (message.Revision, message.FailureCount, message.LastError));
        Assert.Equal(Due(30_000).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
    }

    /// <summary>Reschedule changes the due order; equal due times still come in enqueue order, not reschedule order.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reschedule_changes_the_due_order()
    {
        await using var store = await NewStoreAsync();
        var ids = Ids(3);
        var (a, b, c) = (ids[0], ids[1], ids[2]);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", a, "Job", Text("a"), Due(2_000))
            .Enqueue("jobs", b, "Job", Text("b"), Due(1_000))
            .Enqueue("jobs", c, "Job", Text("c"), Due(3_000)));
        Assert.Equal(["b", "a", "c"], await DueTextsAsync(store, DateTimeOffset.MaxValue));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", a, 0, Due(4_000), 1, "later"));
        Assert.Equal(["b", "c", "a"], await DueTextsAsync(store, DateTimeOffset.MaxValue));
        Assert.Equal(["b", "c"], await DueTextsAsync(store, Due(3_000)));

        // b is moved to 5 s before a is; a was enqueued first, so it comes first.
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", b, 0, Due(5_000), 1, "later"));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", a, 1, Due(5_000), 2, "later"));
        Assert.Equal(["c", "a", "b"], await DueTextsAsync(store, DateTimeOffset.MaxValue));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", c, 0, Due(6_000), 1, "later"));
        Assert.Equal(["a", "b", "c"], await DueTextsAsync(store, DateTimeOffset.MaxValue));
        Assert.Equal(["a", "b"], await DueTextsAsync(store, Due(5_999)));
    }

    /// <summary>Reschedule and RemoveMessage at a revision other than the stored one are rejected with the facts, and change nothing.</summary>
    /// <param name="expectedRevision">The revision the operation expects; the stored one is 1.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    public async Task Reschedule_and_remove_at_a_wrong_revision_are_rejected_and_change_nothing(long expectedRevision)
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("payload"), Due(0)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 0, Due(1_000), 1, "first"));
        var before = await FingerprintAsync(store, queues: ["jobs"]);

        var reschedule = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().Reschedule("jobs", id, expectedRevision, Due(9_000), 5, "second")).AsTask());
        var remove = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().RemoveMessage("jobs", id, expectedRevision)).AsTask());

        foreach (var error in new[] { reschedule, remove })
        {
            Assert.Equal("jobs", error.Queue);
            Assert.Equal(id, error.MessageId);
            Assert.Equal(expectedRevision, error.Expected);
            Assert.Equal(1L, error.Actual);
            Assert.Equal($"Message {id} in queue 'jobs' was expected at revision {expectedRevision} but is at revision 1.", error.Message);
        }

        Assert.Equal(before, await FingerprintAsync(store, queues: ["jobs"]));
        var message = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
        Assert.Equal((1L, 1, "first"), (message.Revision, message.FailureCount, message.LastError));
        Assert.Equal(Due(1_000).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
    }

    /// <summary>Reschedule and RemoveMessage of a message the queue does not hold are rejected with actual null.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reschedule_and_remove_of_a_missing_message_are_rejected()
    {
        await using var store = await NewStoreAsync();
        var present = Guid.NewGuid();
        var missing = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", present, "Job", Text("present"), Due(0)));
        var before = await FingerprintAsync(store, queues: ["jobs", "empty"]);

        var errors = new List<QueueMessageConflictException>
        {
            await Assert.ThrowsAsync<QueueMessageConflictException>(
                () => store.CommitAsync(new CommitBatch().Reschedule("jobs", missing, 0, Due(1), 1)).AsTask()),
            await Assert.ThrowsAsync<QueueMessageConflictException>(
                () => store.CommitAsync(new CommitBatch().RemoveMessage("jobs", missing, 0)).AsTask()),
            await Assert.ThrowsAsync<QueueMessageConflictException>(
                () => store.CommitAsync(new CommitBatch().Reschedule("empty", present, 0, Due(1), 1)).AsTask()),
            await Assert.ThrowsAsync<QueueMessageConflictException>(
                () => store.CommitAsync(new CommitBatch().RemoveMessage("empty", present, 0)).AsTask()),
        };

        Assert.Equal([("jobs", missing), ("jobs", missing), ("empty", present), ("empty", present)], errors.Select(e => (e.Queue, e.MessageId)));
        Assert.All(errors, e => Assert.Equal((0L, (long?)null), (e.Expected, e.Actual)));
        Assert.Equal($"Message {missing} in queue 'jobs' was expected at revision 0 but does not exist.", errors[0].Message);
        Assert.Equal(before, await FingerprintAsync(store, queues: ["jobs", "empty"]));
    }

    /// <summary>RemoveMessage at the stored revision removes the message and only it; the id may then be enqueued again.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task RemoveMessage_at_the_stored_revision_removes_it()
    {
        await using var store = await NewStoreAsync();
        var ids = Ids(3);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", ids[0], "Job", Text("a"), Due(0))
            .Enqueue("jobs", ids[1], "Job", Text("b"), Due(1))
            .Enqueue("jobs", ids[2], "Job", Text("c"), Due(2)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", ids[2], 0, Due(3), 1));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RemoveMessage("jobs", ids[0], 0).RemoveMessage("jobs", ids[2], 1));

        Assert.Equal(["b"], await DueTextsAsync(store, DateTimeOffset.MaxValue));
        var error = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().RemoveMessage("jobs", ids[0], 0)).AsTask());
        Assert.Null(error.Actual);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", ids[0], "Job", Text("a again"), Due(5)));
        var again = (await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue))[^1];
        Assert.Equal((ids[0], 0L, 0, "a again"), (again.MessageId, again.Revision, again.FailureCount, Encoding.UTF8.GetString(again.Data.Span)));
    }

    /// <summary>Queue operations commit atomically with appends: a failed append leaves no message enqueued, rescheduled or removed.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Queue_operations_commit_atomically_with_appends()
    {
        await using var store = await NewStoreAsync();
        var stream = S("payment.1");
        var existing = Guid.NewGuid();
        var added = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, NewEvent("Requested"))
            .Enqueue("outbox", existing, "SendEmail", Text("existing"), Due(0)));
        Assert.Single(await ReadStreamAsync(store, stream));
        var before = await FingerprintAsync(store, [stream], queues: ["outbox"]);

        await store.CommitFailsAsync<WrongExpectedRevisionException>(new CommitBatch()
            .Enqueue("outbox", added, "SendEmail", Text("added"), Due(1))
            .Append(stream, ExpectedRevision.NoStream, NewEvent("Requested")));
        await store.CommitFailsAsync<WrongExpectedRevisionException>(new CommitBatch()
            .Reschedule("outbox", existing, 0, Due(10), 1, "failed")
            .Append(stream, ExpectedRevision.Exact(5), NewEvent("Retried")));
        await store.CommitFailsAsync<WrongExpectedRevisionException>(new CommitBatch()
            .Append(stream, ExpectedRevision.Exact(3), NewEvent("Sent"))
            .RemoveMessage("outbox", existing, 0));

        Assert.Equal(before, await FingerprintAsync(store, [stream], queues: ["outbox"]));
        var message = Assert.Single(await store.ReadDueMessagesAsync("outbox", DateTimeOffset.MaxValue));
        Assert.Equal((existing, 0L), (message.MessageId, message.Revision));

        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(stream, ExpectedRevision.Exact(0), NewEvent("Sent"))
            .RemoveMessage("outbox", existing, 0)
            .Enqueue("outbox", added, "SendEmail", Text("added"), Due(1)));
        Assert.Equal(["added"], (await store.ReadDueMessagesAsync("outbox", DateTimeOffset.MaxValue)).Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(2, (await ReadStreamAsync(store, stream)).Count);
    }

    /// <summary>A queue conflict rejects every other operation of its batch.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Queue_conflict_rejects_the_whole_batch()
    {
        await using var store = await NewStoreAsync();
        var stream = S("payment.1");
        var existing = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("outbox", existing, "SendEmail", Text("existing"), Due(0)));
        var before = await FingerprintAsync(store, [stream], queues: ["outbox", "other"]);

        await store.CommitFailsAsync<QueueMessageConflictException>(new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, NewEvent("Requested"))
            .Enqueue("other", Guid.NewGuid(), "SendEmail", Text("valid"), Due(0))
            .Enqueue("outbox", existing, "SendEmail", Text("duplicate"), Due(1)));
        await store.CommitFailsAsync<QueueMessageConflictException>(new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, NewEvent("Requested"))
            .RemoveMessage("outbox", existing, 3));

        Assert.Equal(before, await FingerprintAsync(store, [stream], queues: ["outbox", "other"]));
        Assert.Null(await store.GetStreamInfoAsync(stream));
        Assert.Empty(await store.ReadDueMessagesAsync("other", DateTimeOffset.MaxValue));
    }

    /// <summary>Of writers racing to reschedule the same message at the same revision, exactly one wins and the message is the winner's.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Concurrent_reschedules_at_the_same_revision_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("contended"), Due(0)));
        using var timeout = new CancellationTokenSource(Patience);

        for (var revision = 0L; revision < ConcurrencyRounds; revision++)
        {
            var expected = revision;

            // Writers are numbered from 1, so that each one's failure count and due time differ from the enqueued message's.
            var outcomes = await RaceAsync<QueueMessageConflictException>(
                ConcurrentWriters,
                (racer, ct) =>
                {
                    var writer = racer + 1;
                    var batch = new CommitBatch().Reschedule("jobs", id, expected, Due(writer * 1_000L), writer, $"writer {writer}");
                    return store.CommitAsync(batch, ct).AsTask();
                },
                timeout.Token);

            var winner = SingleWinner(outcomes, $"revision {expected}").Racer + 1;
            foreach (var loser in outcomes.Where(o => !o.Won))
            {
                Assert.Equal(expected, loser.Error!.Expected);
                Assert.Equal(expected + 1, loser.Error.Actual);
            }

            var message = Assert.Single(await store.ReadDueMessagesAsync("jobs", DateTimeOffset.MaxValue));
            Assert.Equal(expected + 1, message.Revision);
            Assert.Equal((winner, $"writer {winner}"), (message.FailureCount, message.LastError));
            Assert.Equal(Due(winner * 1_000L).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
        }
    }

    /// <summary>A message read by id right after it is enqueued has every field it was given, revision 0, no failures and the enqueue time ReadDueMessages shows.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_returns_an_enqueued_message_with_all_fields()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0];
        var metadata = new Dictionary<string, string> { ["correlation-id"] = "c-1", ["user"] = "Zoë 😀", ["empty"] = string.Empty };
        var dueAt = new DateTimeOffset(2031, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("processes/timeouts", id, "Payment-timeout_v1", data, dueAt, metadata));

        var message = await store.ReadMessageAsync("processes/timeouts", id);

        Assert.NotNull(message);
        Assert.Equal("processes/timeouts", message.Queue);
        Assert.Equal(id, message.MessageId);
        Assert.Equal("Payment-timeout_v1", message.Type);
        Assert.Equal(data, message.Data.ToArray());
        Assert.Equal(metadata.OrderBy(p => p.Key, StringComparer.Ordinal), message.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(dueAt.ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
        Assert.Equal(0, message.FailureCount);
        Assert.Null(message.LastError);
        Assert.Equal(0, message.Revision);
        var due = Assert.Single(await store.ReadDueMessagesAsync("processes/timeouts", DateTimeOffset.MaxValue));
        Assert.Equal(due.EnqueuedAt, message.EnqueuedAt);
        Assert.Equal(due.DueAt, message.DueAt);
    }

    /// <summary>A message not yet due is read by id, though no due read returns it.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_returns_a_message_not_yet_due()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("later"), Due(60_000)));
        Assert.Empty(await store.ReadDueMessagesAsync("jobs", Due(59_999)));

        var message = await store.ReadMessageAsync("jobs", id);

        Assert.NotNull(message);
        Assert.Equal((id, 0L, "later"), (message.MessageId, message.Revision, Encoding.UTF8.GetString(message.Data.Span)));
        Assert.Equal(Due(60_000).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
    }

    /// <summary>After a reschedule, a read by id shows the new revision, due time, failure count and last error, and the rest unchanged.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_after_Reschedule_shows_the_rescheduled_message()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("payload"), Due(0), new Dictionary<string, string> { ["correlation-id"] = "c-7" }));
        var enqueued = await store.ReadMessageAsync("jobs", id);
        const string error = "TimeoutException: took too long\n   at Handler.Run() — ünïcödé";

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 0, Due(90_000), 3, error));

        var message = await store.ReadMessageAsync("jobs", id);
        Assert.NotNull(enqueued);
        Assert.NotNull(message);
        Assert.Equal((1L, 3, error), (message.Revision, message.FailureCount, message.LastError));
        Assert.Equal(Due(90_000).ToUnixTimeMilliseconds(), message.DueAt.ToUnixTimeMilliseconds());
        Assert.Equal((id, "Job", "payload"), (message.MessageId, message.Type, Encoding.UTF8.GetString(message.Data.Span)));
        Assert.Equal("c-7", Assert.Single(message.Metadata).Value);
        Assert.Equal(enqueued.EnqueuedAt, message.EnqueuedAt);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, 1, Due(10), 0, lastError: null));
        message = await store.ReadMessageAsync("jobs", id);
        Assert.NotNull(message);
        Assert.Equal((2L, 0, (string?)null), (message.Revision, message.FailureCount, message.LastError));
    }

    /// <summary>A removed message, an id never enqueued, and an id of a queue never used all read as null.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_of_a_removed_or_unknown_message_returns_null()
    {
        await using var store = await NewStoreAsync();
        var ids = Ids(2);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", ids[0], "Job", Text("removed"), Due(0))
            .Enqueue("jobs", ids[1], "Job", Text("kept"), Due(0)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().RemoveMessage("jobs", ids[0], 0));

        Assert.Null(await store.ReadMessageAsync("jobs", ids[0]));
        Assert.Null(await store.ReadMessageAsync("jobs", Guid.NewGuid()));
        Assert.Null(await store.ReadMessageAsync("never-used", ids[1]));
        Assert.Equal("kept", Encoding.UTF8.GetString((await store.ReadMessageAsync("jobs", ids[1]))!.Data.Span));
    }

    /// <summary>A read by id looks in the queue named only: the same id in a queue of a similar name is not returned.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_returns_only_the_message_of_the_queue_named()
    {
        await using var store = await NewStoreAsync();
        var shared = Guid.NewGuid();
        var other = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Enqueue("jobs", shared, "Job", Text("jobs"), Due(0))
            .Enqueue("jobs/retry", shared, "Retry", Text("jobs/retry"), Due(5))
            .Enqueue("jobs/retry", other, "Retry", Text("other"), Due(5)));
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs/retry", shared, 0, Due(10), 1, "boom"));

        var jobs = await store.ReadMessageAsync("jobs", shared);
        var retry = await store.ReadMessageAsync("jobs/retry", shared);

        Assert.NotNull(jobs);
        Assert.NotNull(retry);
        Assert.Equal(("jobs", "Job", 0L, "jobs"), (jobs.Queue, jobs.Type, jobs.Revision, Encoding.UTF8.GetString(jobs.Data.Span)));
        Assert.Equal(("jobs/retry", "Retry", 1L, "jobs/retry"), (retry.Queue, retry.Type, retry.Revision, Encoding.UTF8.GetString(retry.Data.Span)));
        Assert.Null(await store.ReadMessageAsync("jobs", other));
        Assert.Null(await store.ReadMessageAsync("Jobs", shared));
        Assert.Null(await store.ReadMessageAsync("jobs.retry", shared));
    }

    /// <summary>
    /// Counting the due messages gives, for any time, exactly how many reading them returns: over random due times
    /// (equal ones, rescheduled and removed messages, a neighbouring queue) and at the extremes; an unknown queue
    /// counts none, and a malformed name is refused before any I/O.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task CountDueMessages_counts_what_ReadDueMessages_returns_at_every_time()
    {
        await using var store = await NewStoreAsync();
        var random = new Random(17);
        var ids = new List<Guid>();
        for (var round = 0; round < 6; round++)
        {
            var batch = new CommitBatch();
            for (var i = 0; i < 50; i++)
            {
                var id = Guid.NewGuid();
                ids.Add(id);
                batch.Enqueue("count", id, "Job", Text("j"), Due(random.Next(0, 40) * 250));
                batch.Enqueue("count/other", Guid.NewGuid(), "Job", Text("o"), Due(random.Next(0, 40) * 250));
            }

            await store.CommitWholeOrInPartsAsync(batch);
        }

        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("count", ids[0], 0, DateTimeOffset.MaxValue, 1, "parked").RemoveMessage("count", ids[1], 0));

        DateTimeOffset[] times = [DateTimeOffset.MinValue, T0.AddTicks(-1), .. Enumerable.Range(0, 42).Select(i => Due(i * 250)), Due(20_001), DateTimeOffset.MaxValue.AddTicks(-1), DateTimeOffset.MaxValue];
        foreach (var time in times)
        {
            var read = await store.ReadDueMessagesAsync("count", time);
            Assert.Equal(read.Count, await store.CountDueMessagesAsync("count", time));
        }

        Assert.Equal(299, await store.CountDueMessagesAsync("count", DateTimeOffset.MaxValue));
        Assert.Equal(298, await store.CountDueMessagesAsync("count", DateTimeOffset.MaxValue.AddTicks(-1)));
        Assert.Equal(0, await store.CountDueMessagesAsync("count/none", DateTimeOffset.MaxValue));
        foreach (var queue in new[] { "", "count queue", "cöunt", "count\u0001", new string('q', 201) })
        {
            var error = await Assert.ThrowsAsync<InvalidNameException>(async () => await store.CountDueMessagesAsync(queue, DateTimeOffset.MaxValue));
            Assert.Equal((NameKind.Queue, queue), (error.Kind, error.Name));
        }
    }

    /// <summary>
    /// A malformed queue name is rejected with an <see cref="InvalidNameException"/> of kind Queue before any I/O: a
    /// disposed store, which can do none, still reports the name.
    /// </summary>
    /// <param name="queue">The malformed name.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData("")]
    [InlineData("outbox queue")]
    [InlineData("outböx")]
    [InlineData("outbox\u0001")]
    public async Task ReadMessage_with_a_malformed_queue_name_throws_before_any_IO(string queue)
    {
        var store = await NewStoreAsync();
        try
        {
            var error = await Assert.ThrowsAsync<InvalidNameException>(async () => await store.ReadMessageAsync(queue, Guid.NewGuid()));
            Assert.Equal((NameKind.Queue, queue), (error.Kind, error.Name));
        }
        finally
        {
            await store.DisposeAsync();
        }

        var afterDispose = await Assert.ThrowsAsync<InvalidNameException>(async () => await store.ReadMessageAsync(queue, Guid.NewGuid()));
        Assert.Equal((NameKind.Queue, queue), (afterDispose.Kind, afterDispose.Name));
    }

    /// <summary>
    /// A message rescheduled by another writer after it was read reads again with its current revision; the revision
    /// read then removes it, and a read by id sees it gone.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadMessage_shows_the_current_revision_after_a_concurrent_change()
    {
        await using var store = await NewStoreAsync();
        var id = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue("jobs", id, "Job", Text("contended"), Due(0)));
        var first = await store.ReadMessageAsync("jobs", id);
        Assert.NotNull(first);

        // Another worker takes the message and reschedules it while this one holds revision 0.
        await store.CommitWholeOrInPartsAsync(new CommitBatch().Reschedule("jobs", id, first.Revision, Due(5_000), 1, "elsewhere"));

        var stale = await Assert.ThrowsAsync<QueueMessageConflictException>(
            () => store.CommitAsync(new CommitBatch().RemoveMessage("jobs", id, first.Revision)).AsTask());
        Assert.Equal((0L, (long?)1L), (stale.Expected, stale.Actual));

        var current = await store.ReadMessageAsync("jobs", id);
        Assert.NotNull(current);
        Assert.Equal((1L, 1, "elsewhere"), (current.Revision, current.FailureCount, current.LastError));
        Assert.Equal(Due(5_000).ToUnixTimeMilliseconds(), current.DueAt.ToUnixTimeMilliseconds());

        await store.CommitWholeOrInPartsAsync(new CommitBatch().RemoveMessage("jobs", id, current.Revision));
        Assert.Null(await store.ReadMessageAsync("jobs", id));
    }

    /// <summary>A due time the given number of milliseconds after a fixed instant.</summary>
    private static DateTimeOffset Due(long milliseconds) => T0.AddMilliseconds(milliseconds);

    /// <summary>
    /// Message ids in descending order under every ordering a store might apply: each id repeats
    /// one byte sixteen times, so bytes, text and <see cref="Guid"/> comparisons all agree.
    /// </summary>
    private static Guid[] Ids(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 0xF0);
        return [.. Enumerable.Range(0, count).Select(i => new Guid(Enumerable.Repeat((byte)(0xF0 - i), 16).ToArray()))];
    }

    private static async Task<List<string>> DueTextsAsync(IEventStore store, DateTimeOffset dueBy) =>
        [.. (await store.ReadDueMessagesAsync("jobs", dueBy).ConfigureAwait(false)).Select(m => Encoding.UTF8.GetString(m.Data.Span))];
}
