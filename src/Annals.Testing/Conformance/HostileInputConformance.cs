using System.Globalization;
using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Guarantee 6 with generated input: every name, key and metadata entry a caller can make either fails with a typed
/// error before any I/O, or is stored and read back exactly; no two distinct accepted names address one stream; and
/// no exception of a driver or of the runtime's encoders escapes a public store method. Inputs are generated from a
/// seed (<c>ANNALS_HOSTILE_SEED</c> repeats a run) and judged by the rules stated a second time in the test.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class HostileInputConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly DateTimeOffset Due = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected HostileInputConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many texts each test generates.</summary>
    protected virtual int Cases => 400;

    /// <summary>The seed of this run's texts: <c>ANNALS_HOSTILE_SEED</c> when set, else a new one named in every failure.</summary>
    protected static int Seed { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("ANNALS_HOSTILE_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : Random.Shared.Next();

    /// <summary>Generated stream ids either fail when the name is made, or each names its own stream and reads back exactly.</summary>
    [Fact]
    public async Task Generated_stream_ids_fail_before_io_or_round_trip_as_distinct_streams()
    {
        await using var store = await NewStoreAsync();
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in new HostileText(Seed).Take(Cases).Concat(HostileText.LookAlikes))
        {
            var valid = HostileText.IsValidId(id);
            StreamName name;
            try
            {
                name = StreamName.For("hostile", id);
            }
            catch (InvalidNameException e)
            {
                Assert.False(valid, Because($"the valid id {Show(id)} was refused: {e.Message}"));
                Assert.False(StreamName.TryParse("hostile." + id, out _), Because($"{Show(id)} parses but cannot be made"));
                continue;
            }

            Assert.True(valid, Because($"the invalid id {Show(id)} was accepted"));
            Assert.Equal("hostile." + id, name.Value);
            accepted.Add(name.Value);
        }

        // Every accepted name is created with NoStream: two names that one backend took for one stream fail here.
        var names = accepted.Select(StreamName.Parse).ToList();
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var chunk in names.Chunk(25))
        {
            var batch = new CommitBatch();
            foreach (var name in chunk)
            {
                var e = NewEvent();
                ids[name.Value] = e.EventId;
                batch.Append(name, ExpectedRevision.NoStream, e);
            }

            try
            {
                await store.CommitWholeOrInPartsAsync(batch);
            }
            catch (WrongExpectedRevisionException e)
            {
                Assert.Fail(Because($"{Show(e.Stream.Value)} already existed: two distinct names address one stream"));
            }
        }

        foreach (var name in names)
        {
            var read = await ReadStreamAsync(store, name);
            Assert.True(read.Count == 1 && read[0].EventId == ids[name.Value] && string.Equals(read[0].Stream.Value, name.Value, StringComparison.Ordinal), Because($"{Show(name.Value)} did not read back as stored"));
            Assert.Equal(0, (await store.GetStreamInfoAsync(name))!.LastRevision);
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var info in store.ListStreamsAsync("hostile"))
        {
            listed.Add(info.Stream.Value);
        }

        Assert.True(listed.SetEquals(accepted), Because("the listed streams differ from those written"));
        await foreach (var e in store.ReadAllAsync())
        {
            Assert.True(ids.TryGetValue(e.Stream.Value, out var id) && id == e.EventId, Because($"the log holds {Show(e.Stream.Value)} under another name"));
        }

        // A filter on one accepted name finds its stream's event and no other.
        foreach (var name in names.Take(30))
        {
            var found = new List<RecordedEvent>();
            await foreach (var e in store.ReadAllAsync(filter: EventFilter.Parse(name.Value)))
            {
                found.Add(e);
            }

            Assert.True(found.Count == 1 && found[0].EventId == ids[name.Value], Because($"the filter {Show(name.Value)} found {found.Count} events"));
        }
    }

    /// <summary>Generated metadata keys and values fail when the event or message is made, or are stored and read back exactly.</summary>
    [Fact]
    public async Task Generated_metadata_fails_when_made_or_round_trips_exactly()
    {
        await using var store = await NewStoreAsync();
        var texts = new HostileText(Seed + 1);
        var events = new List<EventData>();
        var messages = new List<(Guid Id, Dictionary<string, string> Metadata)>();
        for (var i = 0; i < Cases; i++)
        {
            var (key, value) = i % 2 == 0 ? (texts.Next(), texts.Next()) : ("k" + i.ToString(CultureInfo.InvariantCulture), texts.Next());
            var metadata = new Dictionary<string, string> { [key] = value, ["plain"] = "x" };
            var valid = HostileText.IsValidKey(key) && HostileText.IsWellFormed(value);
            EventData made;
            try
            {
                made = NewEvent(metadata: metadata);
            }
            catch (ArgumentException e) when (e is not ArgumentNullException)
            {
                Assert.False(valid, Because($"valid metadata {Show(key)} = {Show(value)} was refused: {e.Message}"));
                Assert.Throws<ArgumentException>(() => new CommitBatch().Enqueue("hostile", Guid.NewGuid(), "Msg", new byte[] { 1 }, Due, metadata));
                continue;
            }

            Assert.True(valid, Because($"invalid metadata {Show(key)} = {Show(value)} was accepted"));
            events.Add(made);
            messages.Add((Guid.NewGuid(), metadata));
        }

        Assert.NotEmpty(events);
        foreach (var chunk in events.Chunk(50))
        {
            await store.AppendAsync(S("hostile.metadata"), ExpectedRevision.Any, chunk);
        }

        var read = await ReadStreamAsync(store, S("hostile.metadata"));
        Assert.Equal(events.Count, read.Count);
        for (var i = 0; i < events.Count; i++)
        {
            Assert.True(SameMetadata(events[i].Metadata, read[i].Metadata), Because($"metadata {Describe(events[i].Metadata)} read back as {Describe(read[i].Metadata)}"));
        }

        foreach (var chunk in messages.Chunk(50))
        {
            var batch = new CommitBatch();
            foreach (var (id, metadata) in chunk)
            {
                batch.Enqueue("hostile", id, "Msg", new byte[] { 1 }, Due, metadata);
            }

            await store.CommitWholeOrInPartsAsync(batch);
        }

        var due = (await store.ReadDueMessagesAsync("hostile", Due)).ToDictionary(m => m.MessageId);
        foreach (var (id, metadata) in messages)
        {
            Assert.True(SameMetadata(metadata, due[id].Metadata), Because($"message metadata {Describe(metadata)} read back as {Describe(due[id].Metadata)}"));
        }
    }

    /// <summary>A null metadata value, or a null key a custom dictionary yields, is refused with <see cref="ArgumentException"/> when the event is made.</summary>
    [Fact]
    public void Null_metadata_entries_are_refused_when_made()
    {
        var nullValue = Assert.Throws<ArgumentException>(() => NewEvent(metadata: new Dictionary<string, string> { ["user"] = null! }));
        Assert.Equal("The value of metadata key 'user' is null; metadata values are text. (Parameter 'metadata')", nullValue.Message);
        Assert.Throws<ArgumentException>(() => new CommitBatch().Enqueue("q", Guid.NewGuid(), "Msg", new byte[] { 1 }, Due, new Dictionary<string, string> { ["user"] = null! }));
        var lone = Assert.Throws<ArgumentException>(() => NewEvent(metadata: new Dictionary<string, string> { ["user"] = "a\uD800" }));
        Assert.Equal("Invalid value of metadata key 'user': the value holds an unpaired surrogate \\uD800 at index 1; only well-formed UTF-16 text is allowed. (Parameter 'metadata')", lone.Message);
    }

    /// <summary>The metadata an event keeps is a copy: a change to the caller's dictionary afterwards neither shows nor bypasses the size limit.</summary>
    [Fact]
    public async Task Metadata_changed_after_the_event_was_made_is_not_stored()
    {
        await using var store = await NewStoreAsync();
        var metadata = new Dictionary<string, string> { ["k"] = "v" };
        var e = NewEvent(metadata: metadata);
        metadata["k"] = new string('x', Fixture.MaxEventBytes * 2);
        metadata["added"] = "later";

        await store.AppendAsync(S("copy.1"), ExpectedRevision.NoStream, e);

        var read = Assert.Single(await ReadStreamAsync(store, S("copy.1")));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, read.Metadata);
        Assert.Equal("v", e.Metadata["k"]);
        Assert.False(e.Metadata is IDictionary<string, string> { IsReadOnly: false }, "the event's metadata can be changed through a cast");
    }

    /// <summary>Generated type, consumer and queue names fail with <see cref="InvalidNameException"/> when used, or are stored and read back exactly.</summary>
    [Fact]
    public async Task Generated_type_consumer_and_queue_names_fail_before_io_or_round_trip()
    {
        await using var store = await NewStoreAsync();
        var position = (await store.AppendAsync(S("names.1"), ExpectedRevision.NoStream, NewEvent())).LastPosition;
        foreach (var text in new HostileText(Seed + 2).Take(Cases))
        {
            var typeValid = HostileText.IsValidType(text);
            var consumerValid = HostileText.IsValidConsumer(text);
            await Judge(typeValid, async () =>
            {
                await store.AppendAsync(S("names.types"), ExpectedRevision.Any, new EventData(Guid.NewGuid(), text, new byte[] { 1 }));
                var last = await store.ReadStreamBackwardAsync(S("names.types"), maxCount: 1).FirstAsync();
                Assert.Equal(text, last.Type);
            });
            await Judge(consumerValid, async () =>
            {
                await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveCheckpoint(text, position, await store.ReadCheckpointAsync(text)));
                Assert.Equal(position, await store.ReadCheckpointAsync(text));
            });
            await Judge(consumerValid, async () =>
            {
                var id = Guid.NewGuid();
                await store.CommitWholeOrInPartsAsync(new CommitBatch().Enqueue(text, id, "Msg", new byte[] { 1 }, Due));
                Assert.Contains(await store.ReadDueMessagesAsync(text, Due), m => m.MessageId == id && m.Queue == text);
            });

            async Task Judge(bool valid, Func<Task> use)
            {
                try
                {
                    await use();
                    Assert.True(valid, Because($"the invalid name {Show(text)} was accepted"));
                }
                catch (InvalidNameException e)
                {
                    Assert.False(valid, Because($"the valid name {Show(text)} was refused: {e.Message}"));
                }
            }
        }
    }

    /// <summary>
    /// Generated input through every public store method: each call returns, or throws an Annals error or an
    /// <see cref="ArgumentException"/>; never a driver's or an encoder's exception. The store works normally after.
    /// </summary>
    [Fact]
    public async Task No_foreign_exception_escapes_a_public_store_method()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("kept.1"), ExpectedRevision.NoStream, NewEvent());
        var calls = 0;
        foreach (var text in new HostileText(Seed + 3).Take(Cases / 4))
        {
            Func<Task>[] uses =
            [
                async () => await store.ReadCheckpointAsync(text),
                async () => await store.ReadDueMessagesAsync(text, Due),
                async () => await store.ListStreamsAsync(text).CountAsync(),
                async () => await store.ReadAllAsync(filter: EventFilter.Parse(text)).CountAsync(),
                async () => await store.ReadAllAsync(filter: EventFilter.Parse("kept." + text)).CountAsync(),
                async () => await store.ReadAllAsync(filter: EventFilter.ForTypes(text)).CountAsync(),
                async () => await store.ReadAllAsync(filter: EventFilter.ForStreams(StreamName.Parse("kept." + text))).CountAsync(),
                async () => await store.ReadAllAsync(filter: EventFilter.ForCategories(text)).CountAsync(),
                async () => await store.ReadStreamAsync(StreamName.Parse("kept." + text)).CountAsync(),
                async () => await store.ReadStreamBackwardAsync(StreamName.Parse(text)).CountAsync(),
                async () => await store.GetStreamInfoAsync(StreamName.Parse("kept." + text)),
                async () => await store.ReadSnapshotAsync(StreamName.Parse("kept." + text)),
                async () => await store.ReadStateAsync(StreamName.Parse("kept." + text)),
                async () => await store.CommitAsync(new CommitBatch().SaveCheckpoint(text, 1, null)),
                async () => await store.CommitAsync(new CommitBatch().Append(S("kept.2"), ExpectedRevision.Any, EventData.FromText("Text", text, new Dictionary<string, string> { [text] = text }))),
                async () => await store.CommitAsync(new CommitBatch().Enqueue("q", Guid.NewGuid(), "Msg", Encoding.UTF8.GetBytes(text), Due, new Dictionary<string, string> { ["k"] = text })),
                async () => await store.CommitAsync(new CommitBatch().Reschedule("q", Guid.NewGuid(), 0, Due, 1, text)),
                async () => await store.CommitAsync(new CommitBatch().SaveState(StreamName.Parse("kept." + text), 1, text, new byte[] { 1 })),
                async () => await store.CommitAsync(new CommitBatch().RequireNoneAfter(EventFilter.Parse(text), 0).Append(S("kept.3"), ExpectedRevision.Any, NewEvent())),
            ];
            foreach (var use in uses)
            {
                calls++;
                await AssertOnlyOwnErrors(use, text);
            }
        }

        Func<Task>[] defaults =
        [
            async () => await store.ReadStreamAsync(default).CountAsync(),
            async () => await store.ReadStreamBackwardAsync(default).CountAsync(),
            async () => await store.GetStreamInfoAsync(default),
            async () => await store.ReadSnapshotAsync(default),
            async () => await store.ReadStateAsync(default),
            async () => await store.AppendAsync(S("kept.1"), default, NewEvent()),
            async () => await store.CommitAsync(new CommitBatch().DeleteStream(S("kept.1"), default(ExpectedRevision))),
        ];
        foreach (var use in defaults)
        {
            calls++;
            await Assert.ThrowsAnyAsync<ArgumentException>(use);
        }

        Assert.True(calls > Cases * 4);
        var head = await store.AppendAsync(S("kept.1"), ExpectedRevision.Exact(0), NewEvent());
        Assert.Equal(1, head.LastRevision);
    }

    /// <summary>A default expectation is refused where it is used, and names the values to use.</summary>
    [Fact]
    public void Default_expected_revision_is_refused_where_used()
    {
        var error = Assert.Throws<ArgumentException>(() => new CommitBatch().Append(S("a.1"), default, NewEvent()));
        Assert.Equal("The expected revision is default(ExpectedRevision), which expects nothing: use ExpectedRevision.Any, NoStream, StreamExists or Exact(revision). (Parameter 'expected')", error.Message);
        Assert.Throws<ArgumentException>(() => new CommitBatch().TruncateStream(S("a.1"), 1, default(ExpectedRevision)));
        Assert.Throws<InvalidOperationException>(() => default(ExpectedRevision).IsSatisfiedBy(0));
        Assert.True(default(ExpectedRevision).IsUnset);
        Assert.NotEqual(ExpectedRevision.Exact(0), default);
        Assert.Equal(long.MaxValue, ExpectedRevision.Exact(long.MaxValue).Revision);
    }

    private static async Task AssertOnlyOwnErrors(Func<Task> use, string text)
    {
        try
        {
            await use();
        }
        catch (Exception e) when (e is AnnalsException or ArgumentException)
        {
            // A typed refusal, as it should be.
        }
        catch (Exception e)
        {
            Assert.Fail(Because($"{e.GetType().FullName} escaped for {Show(text)}: {e.Message}"));
        }
    }

    private static bool SameMetadata(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        expected.Count == actual.Count && expected.All(p => actual.TryGetValue(p.Key, out var v) && string.Equals(v, p.Value, StringComparison.Ordinal));

    private static string Describe(IReadOnlyDictionary<string, string> metadata) =>
        "{" + string.Join(", ", metadata.Select(p => $"{Show(p.Key)}: {Show(p.Value)}")) + "}";

    private static string Because(string what) => $"{what} (ANNALS_HOSTILE_SEED={Seed})";

    /// <summary>The text with every character outside printable ASCII as an escape, so a failure shows what it was.</summary>
    private static string Show(string text)
    {
        var shown = new StringBuilder("\"");
        foreach (var c in text.Length > 60 ? text[..60] : text)
        {
            shown.Append(c is >= ' ' and < '\u007F' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return shown.Append(text.Length > 60 ? $"...\" ({text.Length} chars)" : "\"").ToString();
    }
}
