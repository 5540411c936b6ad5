using Annals.Deciders;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.TestWorker.Entities;

/// <summary>
/// The counter entities that every engine of the test hosts, in the worker processes and in the test's own: the same
/// behaviour and type names everywhere, so that any engine can read what another one stored.
/// </summary>
public static class CounterDomain
{
    /// <summary>The counters' stream category.</summary>
    public const string Category = "counter";

    /// <summary>A counter's behaviour: every non-zero amount becomes one event, so each acknowledged command is one revision.</summary>
    public static IDecider<Add, Counter, Added> Behavior { get; } = Decider.Create<Add, Counter, Added>(
        new Counter(0, 0),
        static (add, _) => add.Amount == 0 ? [] : [new Added(add.Amount)],
        static (counter, added) => new Counter(counter.Total + added.Amount, counter.Count + 1));

    /// <summary>The counter with an index: <c>counter.c{index}</c>.</summary>
    /// <param name="index">Which counter.</param>
    /// <returns>Its stream name.</returns>
    public static StreamName Entity(int index) => StreamName.For(Category, $"c{index}");

    /// <summary>The codec that names the counters' events.</summary>
    /// <returns>A new codec.</returns>
    public static EventCodec Codec() => new(new TypeRegistry().Register<Added>("counter-added"));

    /// <summary>An engine over a store hosting the counters, not started yet.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The engine.</returns>
    public static EntityEngine Engine(IEventStore store) => new EntityEngine(store, Codec()).Register(Category, Behavior);
}
