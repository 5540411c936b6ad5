using System.Text;
using System.Text.Json.Nodes;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Serialization;

public sealed class EventCodecTests
{
    private static readonly StreamName Account = StreamName.Parse("account.7");

    [Fact]
    public void Events_round_trip_through_their_registered_names()
    {
        var codec = new EventCodec(new TypeRegistry().RegisterAssembly(typeof(AccountOpened).Assembly));

        var encoded = codec.Encode(new AccountOpened("ada"));

        Assert.Equal("account-opened", encoded.Type);
        Assert.Equal("""{"owner":"ada"}""", Encoding.UTF8.GetString(encoded.Data.Span));
        Assert.Empty(encoded.Metadata);
        Assert.Equal([new AccountOpened("ada")], codec.Decode(Record(encoded)));
    }

    [Fact]
    public void A_source_generated_context_serializes_without_reflection()
    {
        var registry = new TypeRegistry().Register<AccountOpened>().Register<MoneyDeposited>().Register<OwnerRenamed>("owner-renamed");
        var codec = new EventCodec(registry, new JsonPayloadSerializer(SampleJsonContext.Default));

        var encoded = codec.Encode(new MoneyDeposited(12.5m, "EUR"));

        Assert.Equal("""{"amount":12.5,"currency":"EUR"}""", Encoding.UTF8.GetString(encoded.Data.Span));
        Assert.Equal([new MoneyDeposited(12.5m, "EUR")], codec.Decode(Record(encoded)));

        // A type the context does not know fails instead of falling back to reflection.
        Assert.Throws<NotSupportedException>(() => codec.Encode(new OwnerRenamed("ada")));
    }

    [Fact]
    public void Encoding_an_unregistered_type_fails_before_anything_is_written()
    {
        var codec = new EventCodec(new TypeRegistry());

        Assert.Throws<UnregisteredTypeException>(() => codec.Encode(new NotRegistered(1)));
    }

    [Fact]
    public void Newer_schema_versions_are_written_into_the_metadata()
    {
        var codec = new EventCodec(new TypeRegistry().Register<MoneyDeposited>());

        var encoded = codec.Encode(new MoneyDeposited(1, "EUR"));

        Assert.Equal("2", encoded.Metadata[MetadataKeys.SchemaVersion]);
    }

    [Fact]
    public void A_context_gives_every_event_its_correlation_and_causation()
    {
        var codec = new EventCodec(new TypeRegistry().Register<AccountOpened>());
        var starting = MessageContext.New();

        var first = codec.Encode(new AccountOpened("ada"), starting);
        var caused = MessageContext.CausedBy(Record(first));
        var second = codec.Encode(new AccountOpened("bob"), caused);

        Assert.Equal(starting.MessageId, first.Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal(starting.MessageId, first.Metadata[MetadataKeys.CausationId]);
        Assert.Equal(first.EventId.ToString(), caused.CausationId);
        Assert.Equal(starting.MessageId, second.Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal(caused.MessageId, second.Metadata[MetadataKeys.CausationId]);
    }

    [Fact]
    public void Decoding_an_unknown_name_names_the_stream_revision_and_position()
    {
        var codec = new EventCodec(new TypeRegistry());

        var error = Assert.Throws<UnknownEventTypeException>(() => codec.Decode(Record(EventData.FromText("mystery", "{}"), revision: 4, position: 90)));

        Assert.Equal("mystery", error.TypeName);
        Assert.Equal((Account, 4L, 90L), (error.Stream, error.Revision, error.Position));
        Assert.EndsWith("in stream 'account.7' at revision 4 (position 90) cannot be read: no type is registered under the name 'mystery'.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_a_payload_that_does_not_fit_its_type_is_a_decoding_error()
    {
        var codec = new EventCodec(new TypeRegistry().Register<AccountOpened>());

        var error = Assert.Throws<EventDecodingException>(() => codec.Decode(Record(EventData.FromText("account-opened", "[1,2]"))));

        Assert.Contains("its data is not a AccountOpened", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Theory]
    [InlineData("3", "it was written with schema version 3 of 'money-deposited', newer than version 2 that this process knows.")]
    [InlineData("two", "its schema version 'two' is not a positive whole number.")]
    [InlineData("0", "its schema version '0' is not a positive whole number.")]
    public void Unreadable_or_newer_schema_versions_are_decoding_errors(string version, string problem)
    {
        var codec = new EventCodec(new TypeRegistry().Register<MoneyDeposited>());
        var stored = EventData.FromText("money-deposited", """{"amount":1,"currency":"EUR"}""", new Dictionary<string, string> { [MetadataKeys.SchemaVersion] = version });

        var error = Assert.Throws<EventDecodingException>(() => codec.Decode(Record(stored)));

        Assert.EndsWith(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_old_version_is_upcast_step_by_step_to_the_registered_one()
    {
        var registry = new TypeRegistry()
            .Register<MoneyDeposited>("money-deposited", schemaVersion: 3)
            .AddJsonUpcaster("money-deposited", 1, json => new JsonObject { ["amount"] = json["cents"]!.GetValue<int>() / 100m })
            .AddJsonUpcaster("money-deposited", 2, json => { json["currency"] = "EUR"; return json; });
        var codec = new EventCodec(registry);

        var decoded = codec.Decode(Record(EventData.FromText("money-deposited", """{"cents":1250}""")));

        Assert.Equal([new MoneyDeposited(12.5m, "EUR")], decoded);
    }

    [Fact]
    public void An_old_version_without_an_upcaster_is_read_as_it_is()
    {
        var codec = new EventCodec(new TypeRegistry().Register<MoneyDeposited>());

        var decoded = codec.Decode(Record(EventData.FromText("money-deposited", """{"amount":3,"currency":"USD"}""")));

        Assert.Equal([new MoneyDeposited(3, "USD")], decoded);
    }

    [Fact]
    public void Upcasters_may_rename_a_type_and_split_an_event()
    {
        var registry = new TypeRegistry()
            .Register<AccountOpened>()
            .Register<OwnerRenamed>("owner-renamed")
            .AddUpcaster("AccountCreated", 1, p => p with { Type = "account-opened" })
            .AddUpcaster("OpenedWithNickname", 1, p =>
            {
                var json = JsonNode.Parse(p.Data.Span)!;
                return
                [
                    new StoredPayload("account-opened", 1, Encoding.UTF8.GetBytes($$"""{"owner":"{{json["owner"]}}"}""")),
                    new StoredPayload("owner-renamed", 1, Encoding.UTF8.GetBytes($$"""{"owner":"{{json["nickname"]}}"}""")),
                ];
            });
        var codec = new EventCodec(registry);

        Assert.Equal([new AccountOpened("ada")], codec.Decode(Record(EventData.FromText("AccountCreated", """{"owner":"ada"}"""))));
        Assert.Equal(
            [new AccountOpened("ada"), new OwnerRenamed("countess")],
            codec.Decode(Record(EventData.FromText("OpenedWithNickname", """{"owner":"ada","nickname":"countess"}"""))));
    }

    [Fact]
    public void An_upcaster_that_changes_nothing_or_goes_in_circles_is_reported_not_followed_forever()
    {
        var same = new EventCodec(new TypeRegistry().Register<AccountOpened>().AddUpcaster("account-opened", 1, p => p));
        var circle = new EventCodec(new TypeRegistry()
            .AddUpcaster("a", 1, p => p with { Type = "b" })
            .AddUpcaster("b", 1, p => p with { Type = "a" }));

        var unchanged = Assert.Throws<EventDecodingException>(() => same.Decode(Record(EventData.FromText("account-opened", "{}"))));
        var loop = Assert.Throws<EventDecodingException>(() => circle.Decode(Record(EventData.FromText("a", "{}"))));

        Assert.Contains("returned a payload of the same name and version", unchanged.Message, StringComparison.Ordinal);
        Assert.Contains("did not end after 64 steps", loop.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void States_are_stored_under_their_name_and_version_and_other_versions_are_skipped()
    {
        var v1 = new EventCodec(new TypeRegistry().Register<AccountOpened>("account-state"));
        var v2 = new EventCodec(new TypeRegistry().Register<AccountOpened>("account-state", schemaVersion: 2));

        var (type, data) = v1.EncodeState(new AccountOpened("ada"));

        Assert.Equal("account-state-v1", type);
        Assert.True(v1.TryDecodeState<AccountOpened>(type, data, out var state, out _));
        Assert.Equal(new AccountOpened("ada"), state);
        Assert.False(v2.TryDecodeState<AccountOpened>(type, data, out _, out var why));
        Assert.Equal("it was stored as 'account-state-v1', and the state is now 'account-state-v2'", why);
        Assert.False(v1.TryDecodeState<AccountOpened>(type, Encoding.UTF8.GetBytes("{oops"), out _, out why));
        Assert.StartsWith("its data cannot be read as AccountOpened", why, StringComparison.Ordinal);
    }

    private static RecordedEvent Record(EventData data, long revision = 0, long position = 1) =>
        new(data.EventId, Account, revision, position, data.Type, data.Data, data.Metadata, DateTimeOffset.UnixEpoch);
}
