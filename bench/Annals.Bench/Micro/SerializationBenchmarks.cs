using System.Text;
using System.Text.Json.Nodes;
using Annals.Bench.Accounts;
using Annals.Serialization;
using Annals.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Annals.Bench.Micro;

/// <summary>
/// EventCodec per event, on the ~100-byte <see cref="Deposited"/> of the <c>decide</c> workload:
/// Encode and Decode with the reflection <see cref="JsonPayloadSerializer"/> and with a source-generated
/// context, without and with a <see cref="MessageContext"/> (correlation and causation metadata), and
/// Decode of a version 1 payload through one JSON upcaster to version 2.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SerializationBenchmarks
{
    private static readonly Deposited Event = new("acc-000042", 125.5m, "EUR", "3f2504e04f8911d39a0c0305e82c3301");

    private readonly MessageContext _context = MessageContext.New();
    private EventCodec _reflection = null!;
    private EventCodec _generated = null!;
    private EventCodec _reflectionUpcasting = null!;
    private EventCodec _generatedUpcasting = null!;
    private RecordedEvent _plain = null!;
    private RecordedEvent _withContext = null!;
    private RecordedEvent _version1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        var generated = new JsonPayloadSerializer(AccountJsonContext.Default);
        _reflection = new EventCodec(AccountDecider.Registry());
        _generated = new EventCodec(AccountDecider.Registry(), generated);
        _reflectionUpcasting = new EventCodec(UpcastingRegistry());
        _generatedUpcasting = new EventCodec(UpcastingRegistry(), generated);

        var plain = _reflection.Encode(Event);
        if (!plain.Data.Span.SequenceEqual(_generated.Encode(Event).Data.Span))
        {
            throw new InvalidOperationException("The reflection and source-generated serializers write different JSON.");
        }

        _plain = Recorded(plain);
        _withContext = Recorded(_reflection.Encode(Event, _context));

        // Version 1 had no currency: every amount was in euros.
        var version1 = Encoding.UTF8.GetBytes("""{"account":"acc-000042","amount":125.5,"reference":"3f2504e04f8911d39a0c0305e82c3301"}""");
        _version1 = Recorded(new EventData(Guid.CreateVersion7(), "Deposited", version1));
        if (_reflectionUpcasting.Decode(_version1)[0] is not Deposited { Currency: "EUR" })
        {
            throw new InvalidOperationException("The upcaster did not make a version 2 Deposited.");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Encode")]
    public EventData EncodeReflection() => _reflection.Encode(Event);

    [Benchmark, BenchmarkCategory("Encode")]
    public EventData EncodeGenerated() => _generated.Encode(Event);

    [Benchmark, BenchmarkCategory("Encode")]
    public EventData EncodeReflectionWithContext() => _reflection.Encode(Event, _context);

    [Benchmark, BenchmarkCategory("Encode")]
    public EventData EncodeGeneratedWithContext() => _generated.Encode(Event, _context);

    [Benchmark(Baseline = true), BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeReflection() => _reflection.Decode(_plain);

    [Benchmark, BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeGenerated() => _generated.Decode(_plain);

    [Benchmark, BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeReflectionWithContext() => _reflection.Decode(_withContext);

    [Benchmark, BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeGeneratedWithContext() => _generated.Decode(_withContext);

    [Benchmark, BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeReflectionUpcastV1ToV2() => _reflectionUpcasting.Decode(_version1);

    [Benchmark, BenchmarkCategory("Decode")]
    public IReadOnlyList<object> DecodeGeneratedUpcastV1ToV2() => _generatedUpcasting.Decode(_version1);

    /// <summary>Deposited at schema version 2, with an upcaster that adds the currency version 1 lacked.</summary>
    private static TypeRegistry UpcastingRegistry() => new TypeRegistry()
        .Register<Deposited>("Deposited", schemaVersion: 2)
        .AddJsonUpcaster("Deposited", 1, json =>
        {
            json["currency"] ??= JsonValue.Create("EUR");
            return json;
        });

    /// <summary>The event as a store would read it back.</summary>
    private static RecordedEvent Recorded(EventData data) =>
        new(data.EventId, StreamName.For("account", "s42"), 7, 1_234, data.Type, data.Data, data.Metadata, DateTimeOffset.UnixEpoch);
}
