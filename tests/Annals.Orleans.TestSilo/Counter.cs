using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Orleans.TestSilo;

/// <summary>A command to count, naming who sent it and its number among that sender's commands.</summary>
public sealed record Count(string Writer, int Seq);

/// <summary>One counted command.</summary>
[EventType("cluster-counted")]
public sealed record Counted(string Writer, int Seq);

/// <summary>How many commands the counter stored.</summary>
public sealed record CounterState(int Total);

/// <summary>The entity the test silos host: it stores each command it is sent as one event.</summary>
public static class Counter
{
    public const string Category = "counter";

    public static IDecider<Count, CounterState, Counted> Decider { get; } = Deciders.Decider.Create<Count, CounterState, Counted>(
        new CounterState(0),
        (command, _) => [new Counted(command.Writer, command.Seq)],
        (state, _) => state with { Total = state.Total + 1 });

    /// <summary>Registers the counter's events: the silos and every client that reads their replies do.</summary>
    public static void Register(TypeRegistry registry) => registry.Register<Counted>();
}
