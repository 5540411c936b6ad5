using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Guarantee 6, isolation of bad input: malformed names, malformed batches, oversized events and
/// out-of-range arguments give clear typed errors, before any I/O, and never change or break the store.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class BadInputConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private const string Consumer = "bad-input/consumer";
    private const string Queue = "bad-input-queue";
    private static readonly StreamName Seeded = S("seeded.1");
    private static readonly StreamName SeededState = S("seeded-state.1");
    private static readonly DateTimeOffset Due = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected BadInputConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>The largest event the store accepts, data plus metadata.</summary>
    protected int MaxEventBytes => Fixture.MaxEventBytes;

    /// <summary>A malformed stream name is rejected by <see cref="StreamName.Parse"/> with an <see cref="InvalidNameException"/> of kind Stream.</summary>
    /// <param name="name">The malformed name.</param>
    [Theory]
    [InlineData("")]
    [InlineData("account")]
    [InlineData("account42")]
    [InlineData(".42")]
    [InlineData(".")]
    [InlineData("account.")]
    [InlineData("acc ount.1")]
    [InlineData(" account.1")]
    [InlineData("acc$ount.1")]
    [InlineData("acc:ount.1")]
    [InlineData("acc/ount.1")]
    [InlineData("acc*.1")]
    [InlineData(">.1")]
    [InlineData("accoünt.1")]
    [InlineData("acc\tount.1")]
    [InlineData("account.4*2")]
    [InlineData("account.*")]
    [InlineData("account.>")]
    [InlineData("account.4>2")]
    [InlineData("account.4 2")]
    [InlineData("account.42 ")]
    [InlineData("account.4\t2")]
    [InlineData("account.4\n")]
    [InlineData("account.4\r2")]
    [InlineData("account.4.2")]
    [InlineData("account..2")]
    [InlineData("account.4\u00012")]
    [InlineData("account.4\u007f")]
    [InlineData("account.\u0000")]
    [InlineData("account.\u00a0")]
    [InlineData("account.4\u20282")]
    [InlineData("account.4\u30002")]
    public void Malformed_stream_name_is_rejected(string name)
    {
        var error = Assert.Throws<InvalidNameException>(() => StreamName.Parse(name));

        Assert.Equal(NameKind.Stream, error.Kind);
        Assert.Equal(name, error.Name);
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
        Assert.StartsWith($"Invalid stream name '{name}': ", error.Message, StringComparison.Ordinal);
        Assert.False(StreamName.TryParse(name, out _));
        Assert.Throws<InvalidNameException>(() => (StreamName)name);
    }

    /// <summary>A category or id that is too long is rejected; one at the limit is accepted.</summary>
    /// <param name="categoryLength">The category's length.</param>
    /// <param name="idLength">The id's length.</param>
    /// <param name="valid">Whether the name is valid.</param>
    [Theory]
    [InlineData(64, 200, true)]
    [InlineData(1, 1, true)]
    [InlineData(65, 1, false)]
    [InlineData(1, 201, false)]
    [InlineData(65, 201, false)]
    [InlineData(1000, 1, false)]
    [InlineData(1, 5000, false)]
    public void Stream_name_length_limits_are_enforced(int categoryLength, int idLength, bool valid)
    {
        var category = new string('c', categoryLength);
        var id = new string('7', idLength);
        var name = category + "." + id;

        if (valid)
        {
            Assert.Equal(name, StreamName.Parse(name).Value);
            Assert.Equal(name, StreamName.For(category, id).Value);
            return;
        }

        var error = Assert.Throws<InvalidNameException>(() => StreamName.Parse(name));
        Assert.Equal((NameKind.Stream, name), (error.Kind, error.Name));
        var fromParts = Assert.Throws<InvalidNameException>(() => StreamName.For(category, id));
        Assert.Equal(NameKind.Stream, fromParts.Kind);
    }

    /// <summary>Malformed parts given to <see cref="StreamName.For"/> are rejected the same way.</summary>
    /// <param name="category">The category.</param>
    /// <param name="id">The id.</param>
    [Theory]
    [InlineData("", "1")]
    [InlineData("account", "")]
    [InlineData("acc.ount", "1")]
    [InlineData("account", "4.2")]
    [InlineData("account", "4*")]
    [InlineData("account", ">")]
    [InlineData("account", "4 2")]
    [InlineData("acc ount", "1")]
    [InlineData("account", "\u0007")]
    public void Malformed_stream_name_parts_are_rejected(string category, string id)
    {
        var error = Assert.Throws<InvalidNameException>(() => StreamName.For(category, id));

        Assert.Equal(NameKind.Stream, error.Kind);
        Assert.Equal(category + "." + id, error.Name);
    }

    /// <summary>The stream-name errors users meet most often carry exact, helpful messages.</summary>
    [Fact]
    public void Stream_name_errors_have_exact_messages()
    {
        Assert.Equal(
            "Invalid stream name 'account': a stream name is 'category.id' and this one has no '.'.",
            Assert.Throws<InvalidNameException>(() => StreamName.Parse("account")).Message);
        var longCategory = new string('a', 65) + ".1";
        Assert.Equal(
            $"Invalid stream name '{longCategory}': the category is 65 characters long; at most 64 are allowed.",
            Assert.Throws<InvalidNameException>(() => StreamName.Parse(longCategory)).Message);
        Assert.Equal(
            "Invalid stream name 'account.4 2': the id contains '\\u0020'; '.', '*', '>', whitespace, control and format characters are not allowed.",
            Assert.Throws<InvalidNameException>(() => StreamName.Parse("account.4 2")).Message);
    }

    /// <summary>A malformed event, snapshot, state or message type name is rejected when the value is made.</summary>
    /// <param name="type">The malformed type name.</param>
    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a b")]
    [InlineData(" Deposited")]
    [InlineData("Deposited!")]
    [InlineData("a*")]
    [InlineData("a>")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("Zoë")]
    [InlineData("a\tb")]
    [InlineData("a\u0000")]
    public void Malformed_type_name_is_rejected(string type)
    {
        AssertInvalidType(type);
    }

    /// <summary>A type name of 129 characters is rejected; one of 128 is accepted.</summary>
    [Fact]
    public void Type_name_length_limit_is_enforced()
    {
        AssertInvalidType(new string('T', 129));
        Assert.Equal(128, new EventData(Guid.NewGuid(), new string('T', 128), new byte[] { 1 }).Type.Length);
    }

    /// <summary>A malformed consumer name is rejected when a checkpoint operation is made and when a checkpoint is read.</summary>
    /// <param name="consumer">The malformed name.</param>
    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a*b")]
    [InlineData("a>b")]
    [InlineData("a,b")]
    [InlineData("a#b")]
    [InlineData("a\\b")]
    [InlineData("projectionä")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    public async Task Malformed_consumer_name_is_rejected(string consumer)
    {
        await using var store = await NewStoreAsync();
        await AssertInvalidConsumerAsync(store, consumer);
    }

    /// <summary>A malformed queue name is rejected when a queue operation is made and when due messages are read.</summary>
    /// <param name="queue">The malformed name.</param>
    [Theory]
    [InlineData("")]
    [InlineData("outbox queue")]
    [InlineData("outbox*")]
    [InlineData("outbox>")]
    [InlineData("out,box")]
    [InlineData("outböx")]
    [InlineData("outbox\u0001")]
    public async Task Malformed_queue_name_is_rejected(string queue)
    {
        await using var store = await NewStoreAsync();
        await AssertInvalidQueueAsync(store, queue);
    }

    /// <summary>Consumer and queue names of 201 characters are rejected.</summary>
    [Fact]
    public async Task Consumer_and_queue_name_length_limits_are_enforced()
    {
        await using var store = await NewStoreAsync();
        var name = new string('q', 201);
        await AssertInvalidConsumerAsync(store, name);
        await AssertInvalidQueueAsync(store, name);
    }

    /// <summary>Consumer and queue names using every allowed character, up to 200 characters, are accepted and round-trip.</summary>
    [Fact]
    public async Task Consumer_and_queue_names_at_the_limits_are_accepted()
    {
        await using var store = await NewStoreAsync();
        string[] names = ["projections/account:v2.main_x-1", new string('n', 200), "a", "A.B:C/D-E_F.0"];

        foreach (var name in names)
        {
            await store.CommitWholeOrInPartsAsync(new CommitBatch()
                .SaveCheckpoint(name, 42, null)
                .Enqueue(name, Guid.NewGuid(), "Msg", new byte[] { 1 }, Due));
        }

        foreach (var name in names)
        {
            Assert.Equal(42, await store.ReadCheckpointAsync(name));
            var message = Assert.Single(await store.ReadDueMessagesAsync(name, DateTimeOffset.MaxValue));
            Assert.Equal(name, message.Queue);
        }
    }

    /// <summary>An empty batch is rejected with an exact message and changes nothing.</summary>
    [Fact]
    public async Task Empty_batch_is_rejected()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);

        var error = await AssertRejectedAsync<InvalidBatchException>(store, new CommitBatch());

        Assert.Equal("the batch is empty", error.Reason);
        Assert.Equal("Invalid batch: the batch is empty.", error.Message);
    }

    /// <summary>An append without events is rejected and changes nothing.</summary>
    [Fact]
    public async Task Append_without_events_is_rejected()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);

        var error = await AssertRejectedAsync<InvalidBatchException>(store, new CommitBatch()
            .Append(S("other.1"), ExpectedRevision.Any, NewEvent())
            .Append(Seeded, ExpectedRevision.Any, Array.Empty<EventData>()));

        Assert.Equal("the append to 'seeded.1' has no events", error.Reason);
        var direct = await Assert.ThrowsAsync<InvalidBatchException>(
            async () => await store.AppendAsync(Seeded, ExpectedRevision.Any, Array.Empty<EventData>()));
        Assert.Equal(error.Reason, direct.Reason);
    }

    /// <summary>A stream appended to, truncated or deleted twice in one batch is rejected and changes nothing.</summary>
    /// <param name="first">The first change.</param>
    /// <param name="second">The second change.</param>
    [Theory]
    [InlineData("append", "append")]
    [InlineData("append", "truncate")]
    [InlineData("truncate", "append")]
    [InlineData("append", "delete")]
    [InlineData("delete", "append")]
    [InlineData("truncate", "delete")]
    [InlineData("truncate", "truncate")]
    [InlineData("delete", "delete")]
    public async Task Same_stream_twice_in_one_batch_is_rejected(string first, string second)
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);
        var batch = new CommitBatch().Append(S("other.1"), ExpectedRevision.Any, NewEvent());
        AddStreamChange(batch, first);
        AddStreamChange(batch, second);

        var error = await AssertRejectedAsync<InvalidBatchException>(store, batch);

        Assert.Equal("stream 'seeded.1' is appended to, truncated or deleted more than once", error.Reason);
    }

    /// <summary>The same snapshot, state key, checkpoint or queue message changed twice in one batch is rejected and changes nothing.</summary>
    /// <param name="kind">What is changed twice.</param>
    [Theory]
    [InlineData("snapshot-save-save")]
    [InlineData("snapshot-save-delete")]
    [InlineData("state-save-delete")]
    [InlineData("state-save-save")]
    [InlineData("checkpoint")]
    [InlineData("message-enqueue-remove")]
    [InlineData("message-reschedule-remove")]
    public async Task Same_record_twice_in_one_batch_is_rejected(string kind)
    {
        await using var store = await NewStoreAsync();
        var message = await SeedAsync(store);
        var batch = new CommitBatch().Append(S("other.1"), ExpectedRevision.Any, NewEvent());
        _ = kind switch
        {
            "snapshot-save-save" => batch.SaveSnapshot(Seeded, 1, "Snap", new byte[] { 1 }).SaveSnapshot(Seeded, 2, "Snap", new byte[] { 2 }),
            "snapshot-save-delete" => batch.SaveSnapshot(Seeded, 1, "Snap", new byte[] { 1 }).DeleteSnapshot(Seeded),
            "state-save-delete" => batch.SaveState(SeededState, 2, "State", new byte[] { 1 }).DeleteState(SeededState, 1),
            "state-save-save" => batch.SaveState(SeededState, 2, "State", new byte[] { 1 }).SaveState(SeededState, 3, "State", new byte[] { 2 }),
            "checkpoint" => batch.SaveCheckpoint(Consumer, 5, 1).SaveCheckpoint(Consumer, 6, 5),
            "message-enqueue-remove" => batch.Enqueue(Queue, message, "Msg", new byte[] { 1 }, Due).RemoveMessage(Queue, message, 0),
            _ => batch.Reschedule(Queue, message, 0, Due, 1).RemoveMessage(Queue, message, 1),
        };

        var error = await AssertRejectedAsync<InvalidBatchException>(store, batch);

        Assert.Contains("more than once", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>An event whose data is one byte over the limit is rejected with its size and the limit, and changes nothing.</summary>
    [Fact]
    public async Task Oversized_event_is_rejected()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);
        var big = new EventData(Guid.NewGuid(), "Big", new byte[MaxEventBytes + 1]);

        var error = await AssertRejectedAsync<EventTooLargeException>(store, new CommitBatch()
            .Append(S("other.1"), ExpectedRevision.Any, NewEvent())
            .Append(S("big.1"), ExpectedRevision.NoStream, NewEvent(), big));

        Assert.Equal(big.EventId, error.EventId);
        Assert.Equal(S("big.1"), error.Stream);
        Assert.Equal(MaxEventBytes + 1, error.Size);
        Assert.Equal(MaxEventBytes, error.Limit);
        Assert.Equal($"Event {big.EventId} appended to 'big.1' is {MaxEventBytes + 1} bytes; the store allows at most {MaxEventBytes}.", error.Message);
    }

    /// <summary>An event pushed over the limit by its metadata (as stored: a JSON object of strings, in UTF-8) is rejected.</summary>
    [Fact]
    public async Task Event_oversized_by_metadata_is_rejected()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);

        // {"k":"vvvvv"} is 13 bytes. One more data byte than fits.
        var metadata = new Dictionary<string, string> { ["k"] = "vvvvv" };
        var big = new EventData(Guid.NewGuid(), "Big", new byte[MaxEventBytes - 13 + 1], metadata);

        var error = await AssertRejectedAsync<EventTooLargeException>(store, new CommitBatch().Append(S("big.1"), ExpectedRevision.Any, big));

        Assert.Equal((big.EventId, MaxEventBytes + 1, MaxEventBytes), (error.EventId, error.Size, error.Limit));

        // Metadata alone can be too large, with tiny data; "😀" is stored escaped, \uD83D\uDE00: 12 bytes.
        var emoji = new Dictionary<string, string> { ["e"] = string.Concat(Enumerable.Repeat("😀", (MaxEventBytes / 4) + 1)) };
        var byMetadata = new EventData(Guid.NewGuid(), "Big", new byte[] { 1 }, emoji);
        var second = await AssertRejectedAsync<EventTooLargeException>(store, new CommitBatch().Append(S("big.1"), ExpectedRevision.Any, byMetadata));
        Assert.True(second.Size > MaxEventBytes);
    }

    /// <summary>Events of exactly the limit, by data alone or by data and metadata, are accepted and round-trip.</summary>
    [Fact]
    public async Task Event_at_the_limit_is_accepted()
    {
        await using var store = await NewStoreAsync();
        var data = new byte[MaxEventBytes];
        new Random(42).NextBytes(data);
        // {"k":"vv\uD83D\uDE00"} is 22 bytes.
        var metadata = new Dictionary<string, string> { ["k"] = "vv😀" };
        EventData[] events =
        [
            new(Guid.NewGuid(), "Exact", data),
            new(Guid.NewGuid(), "ExactWithMetadata", data.AsMemory(0, MaxEventBytes - 22), metadata),
        ];

        var result = await store.AppendAsync(S("big.1"), ExpectedRevision.NoStream, events);

        Assert.Equal(1, result.LastRevision);
        var read = await ReadStreamAsync(store, S("big.1"));
        Assert.Equal(data, read[0].Data.ToArray());
        Assert.Equal(data.AsSpan(0, MaxEventBytes - 22).ToArray(), read[1].Data.ToArray());
        Assert.Equal("vv😀", read[1].Metadata["k"]);
    }

    /// <summary>Negative counts, revisions and positions make the read methods throw when called, before enumeration.</summary>
    [Fact]
    public async Task Negative_read_arguments_throw_when_called()
    {
        await using var store = await NewStoreAsync();
        await SeedAsync(store);

        AssertOutOfRange("fromRevision", () => store.ReadStreamAsync(Seeded, fromRevision: -1));
        AssertOutOfRange("fromRevision", () => store.ReadStreamAsync(Seeded, fromRevision: long.MinValue));
        AssertOutOfRange("maxCount", () => store.ReadStreamAsync(Seeded, maxCount: -1));
        AssertOutOfRange("fromRevision", () => store.ReadStreamBackwardAsync(Seeded, fromRevision: -1));
        AssertOutOfRange("maxCount", () => store.ReadStreamBackwardAsync(Seeded, maxCount: -1));
        AssertOutOfRange("afterPosition", () => store.ReadAllAsync(afterPosition: -1));
        AssertOutOfRange("afterPosition", () => store.ReadAllAsync(afterPosition: long.MinValue, filter: EventFilter.ForCategories("seeded")));
        AssertOutOfRange("maxCount", () => store.ReadAllAsync(maxCount: -1));
        AssertOutOfRange("maxCount", () => store.ReadAllAsync(maxCount: int.MinValue));
        AssertOutOfRange("afterPosition", () => store.SubscribeAsync(afterPosition: -1));

        var due = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await store.ReadDueMessagesAsync(Queue, DateTimeOffset.MaxValue, maxCount: -1));
        Assert.Equal("maxCount", due.ParamName);

        // The store still answers normally.
        Assert.Equal(2, (await ReadStreamAsync(store, Seeded)).Count);
    }

    /// <summary>Negative revisions, versions, positions and counts are rejected when an operation is made.</summary>
    /// <param name="kind">Which argument is out of range.</param>
    [Theory]
    [InlineData("expected-revision")]
    [InlineData("snapshot-revision")]
    [InlineData("state-version")]
    [InlineData("delete-state-version")]
    [InlineData("checkpoint-position")]
    [InlineData("checkpoint-expected-position")]
    [InlineData("truncate-before-revision")]
    [InlineData("reschedule-expected-revision")]
    [InlineData("reschedule-failure-count")]
    [InlineData("remove-expected-revision")]
    [InlineData("condition-after-position")]
    public void Out_of_range_operation_argument_is_rejected_when_made(string kind)
    {
        var message = Guid.NewGuid();
        Action make = kind switch
        {
            "expected-revision" => () => ExpectedRevision.Exact(-1),
            "snapshot-revision" => () => new CommitBatch().SaveSnapshot(Seeded, -1, "Snap", new byte[] { 1 }),
            "state-version" => () => new CommitBatch().SaveState(SeededState, 0, "State", new byte[] { 1 }),
            "delete-state-version" => () => new CommitBatch().DeleteState(SeededState, 0),
            "checkpoint-position" => () => new CommitBatch().SaveCheckpoint(Consumer, -1, null),
            "checkpoint-expected-position" => () => new CommitBatch().SaveCheckpoint(Consumer, 1, -1),
            "truncate-before-revision" => () => new CommitBatch().TruncateStream(Seeded, -1),
            "reschedule-expected-revision" => () => new CommitBatch().Reschedule(Queue, message, -1, Due, 0),
            "reschedule-failure-count" => () => new CommitBatch().Reschedule(Queue, message, 0, Due, -1),
            "remove-expected-revision" => () => new CommitBatch().RemoveMessage(Queue, message, -1),
            _ => () => new CommitBatch().RequireNoneAfter(EventFilter.All, -1),
        };

        Assert.Throws<ArgumentOutOfRangeException>(make);
    }

    /// <summary>Empty event and message ids and the default stream name are rejected when the value is made.</summary>
    [Fact]
    public void Empty_ids_and_default_stream_name_are_rejected_when_made()
    {
        Assert.Equal("eventId", Assert.Throws<ArgumentException>(() => new EventData(Guid.Empty, "Happened", new byte[] { 1 })).ParamName);
        Assert.Equal("messageId", Assert.Throws<ArgumentException>(() => new CommitBatch().Enqueue(Queue, Guid.Empty, "Msg", new byte[] { 1 }, Due)).ParamName);
        Assert.Throws<ArgumentException>(() => new CommitBatch().Append(default, ExpectedRevision.Any, NewEvent()));
        Assert.Throws<ArgumentException>(() => new CommitBatch().DeleteStream(default));
        Assert.Throws<ArgumentException>(() => new CommitBatch().SaveState(default, 1, "State", new byte[] { 1 }));
        Assert.True(default(StreamName).IsEmpty);
    }

    /// <summary>After many rejected commits of every kind the store is unchanged and still accepts, stores and reads normally.</summary>
    [Fact]
    public async Task Store_works_normally_after_rejected_input()
    {
        await using var store = await NewStoreAsync();
        var message = await SeedAsync(store);
        var before = await FingerprintSeededAsync(store);
        var head = await store.GetHeadPositionAsync();
        CommitBatch[] rejected =
        [
            new CommitBatch(),
            new CommitBatch().Append(Seeded, ExpectedRevision.Any, Array.Empty<EventData>()),
            new CommitBatch().Append(Seeded, ExpectedRevision.Any, NewEvent()).DeleteStream(Seeded),
            new CommitBatch().Append(Seeded, ExpectedRevision.Any, new EventData(Guid.NewGuid(), "Big", new byte[MaxEventBytes + 1])),
            new CommitBatch().SaveCheckpoint(Consumer, 3, 1).SaveCheckpoint(Consumer, 4, 3),
            new CommitBatch().Enqueue(Queue, message, "Msg", new byte[] { 1 }, Due).Enqueue(Queue, message, "Msg", new byte[] { 1 }, Due),
        ];

        foreach (var batch in rejected)
        {
            await Assert.ThrowsAnyAsync<AnnalsException>(async () => await store.CommitAsync(batch));
        }

        Assert.Equal(before, await FingerprintSeededAsync(store));
        var result = await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(Seeded, ExpectedRevision.Exact(1), NewEvents(2))
            .SaveCheckpoint(Consumer, 9, 1)
            .SaveState(SeededState, 2, "State", new byte[] { 2 }));
        Assert.Equal((2L, 3L), (result.Appends[0].FirstRevision, result.Appends[0].LastRevision));
        Assert.True(result.Appends[0].FirstPosition > head);
        Assert.Equal(4, (await ReadStreamAsync(store, Seeded)).Count);
        Assert.Equal(9, await store.ReadCheckpointAsync(Consumer));
        Assert.Equal(2, (await store.ReadStateAsync(SeededState))?.Version);
    }

    private static void AddStreamChange(CommitBatch batch, string change) => _ = change switch
    {
        "append" => batch.Append(Seeded, ExpectedRevision.Any, NewEvent()),
        "truncate" => batch.TruncateStream(Seeded, 1),
        _ => batch.DeleteStream(Seeded),
    };

    private static void AssertOutOfRange(string paramName, Func<object> call)
    {
        // The read is only made, never enumerated: the check must happen when the method is called.
        var error = Assert.Throws<ArgumentOutOfRangeException>(call);
        Assert.Equal(paramName, error.ParamName);
    }

    private static void AssertInvalidType(string type)
    {
        Action[] makers =
        [
            () => _ = new EventData(Guid.NewGuid(), type, new byte[] { 1 }),
            () => EventData.FromText(type, "{}"),
            () => new CommitBatch().SaveSnapshot(Seeded, 0, type, new byte[] { 1 }),
            () => new CommitBatch().SaveState(SeededState, 1, type, new byte[] { 1 }),
            () => new CommitBatch().Enqueue(Queue, Guid.NewGuid(), type, new byte[] { 1 }, Due),
        ];
        foreach (var make in makers)
        {
            var error = Assert.Throws<InvalidNameException>(make);
            Assert.Equal(NameKind.Type, error.Kind);
            Assert.Equal(type, error.Name);
            Assert.StartsWith($"Invalid type name '{type}': ", error.Message, StringComparison.Ordinal);
        }
    }

    private static async Task AssertInvalidConsumerAsync(IEventStore store, string consumer)
    {
        var made = Assert.Throws<InvalidNameException>(() => new CommitBatch().SaveCheckpoint(consumer, 1, null));
        Assert.Equal((NameKind.Consumer, consumer), (made.Kind, made.Name));
        Assert.StartsWith($"Invalid consumer name '{consumer}': ", made.Message, StringComparison.Ordinal);

        var read = await Assert.ThrowsAsync<InvalidNameException>(async () => await store.ReadCheckpointAsync(consumer)).ConfigureAwait(false);
        Assert.Equal((NameKind.Consumer, consumer), (read.Kind, read.Name));
    }

    private static async Task AssertInvalidQueueAsync(IEventStore store, string queue)
    {
        Action[] makers =
        [
            () => new CommitBatch().Enqueue(queue, Guid.NewGuid(), "Msg", new byte[] { 1 }, Due),
            () => new CommitBatch().Reschedule(queue, Guid.NewGuid(), 0, Due, 1, "error"),
            () => new CommitBatch().RemoveMessage(queue, Guid.NewGuid(), 0),
        ];
        foreach (var make in makers)
        {
            var made = Assert.Throws<InvalidNameException>(make);
            Assert.Equal((NameKind.Queue, queue), (made.Kind, made.Name));
            Assert.StartsWith($"Invalid queue name '{queue}': ", made.Message, StringComparison.Ordinal);
        }

        var read = await Assert.ThrowsAsync<InvalidNameException>(async () => await store.ReadDueMessagesAsync(queue, DateTimeOffset.MaxValue)).ConfigureAwait(false);
        Assert.Equal((NameKind.Queue, queue), (read.Kind, read.Name));
    }

    /// <summary>Stores a little of everything, so a fingerprint would show any damage; returns the id of the queued message.</summary>
    private static async Task<Guid> SeedAsync(IEventStore store)
    {
        var message = Guid.NewGuid();
        await store.AppendAsync(Seeded, ExpectedRevision.NoStream, NewEvents(2)).ConfigureAwait(false);
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .SaveSnapshot(Seeded, 0, "Snap", Encoding.UTF8.GetBytes("snap"))
            .SaveState(SeededState, 1, "State", Encoding.UTF8.GetBytes("state"))
            .SaveCheckpoint(Consumer, 1, null)
            .Enqueue(Queue, message, "Msg", Encoding.UTF8.GetBytes("msg"), Due)).ConfigureAwait(false);
        return message;
    }

    private static Task<string> FingerprintSeededAsync(IEventStore store) =>
        FingerprintAsync(store, [Seeded, S("other.1"), S("big.1")], [SeededState], [Consumer], [Queue]);

    /// <summary>Commits a batch that must be rejected, and checks it changed nothing.</summary>
    private static async Task<TException> AssertRejectedAsync<TException>(IEventStore store, CommitBatch batch)
        where TException : Exception
    {
        var before = await FingerprintSeededAsync(store).ConfigureAwait(false);

        var error = await Assert.ThrowsAsync<TException>(async () => await store.CommitAsync(batch)).ConfigureAwait(false);

        Assert.Equal(before, await FingerprintSeededAsync(store).ConfigureAwait(false));
        return error;
    }
}
