using System.Globalization;
using Annals.Storage;
using BenchmarkDotNet.Attributes;

namespace Annals.Bench.Micro;

/// <summary>EventFilter.Matches per subject, over a mix of matching and non-matching subjects.</summary>
[MemoryDiagnoser]
public class EventFilterMatchBenchmarks
{
    private const int Subjects = 256;

    private readonly StreamName[] _streams = new StreamName[Subjects];
    private readonly string[] _types = new string[Subjects];
    private EventFilter _category = EventFilter.All;
    private EventFilter _streamSet = EventFilter.All;
    private EventFilter _wildcard = EventFilter.All;

    [GlobalSetup]
    public void Setup()
    {
        string[] categories = ["account", "order", "customer", "invoice"];
        string[] types = ["Deposited", "Withdrawn", "Placed", "Noted"];
        for (var i = 0; i < Subjects; i++)
        {
            _streams[i] = StreamName.For(categories[i % categories.Length], (i * 7).ToString(CultureInfo.InvariantCulture));
            _types[i] = types[(i / 4) % types.Length];
        }

        _category = EventFilter.ForCategories("account");
        _streamSet = EventFilter.ForStreams(Enumerable.Range(0, 1000).Select(i => StreamName.For("account", (i * 3).ToString(CultureInfo.InvariantCulture))));
        _wildcard = EventFilter.Parse("account.*.Deposited");
    }

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int Category() => CountMatches(_category);

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int StreamSetOf1000() => CountMatches(_streamSet);

    [Benchmark(OperationsPerInvoke = Subjects)]
    public int Wildcard() => CountMatches(_wildcard);

    [Benchmark(OperationsPerInvoke = Subjects, Baseline = true)]
    public int All() => CountMatches(EventFilter.All);

    private int CountMatches(EventFilter filter)
    {
        var matches = 0;
        for (var i = 0; i < Subjects; i++)
        {
            if (filter.Matches(_streams[i], _types[i]))
            {
                matches++;
            }
        }

        return matches;
    }
}
