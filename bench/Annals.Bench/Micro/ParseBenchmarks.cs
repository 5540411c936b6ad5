using Annals.Storage;
using BenchmarkDotNet.Attributes;

namespace Annals.Bench.Micro;

/// <summary>Parsing of filters and stream names, as done for every request and every stored row read.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    [Benchmark]
    public EventFilter FilterParseCategory() => EventFilter.Parse("account");

    [Benchmark]
    public EventFilter FilterParseMixed() => EventFilter.Parse("account.>, order.*.Placed, customer.42, *.*.Deposited");

    [Benchmark]
    public StreamName StreamNameParse() => StreamName.Parse("account.42");

    [Benchmark]
    public StreamName StreamNameParseLongId() => StreamName.Parse("order.3f2504e0-4f89-11d3-9a0c-0305e82c3301");
}
