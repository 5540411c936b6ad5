using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Orleans.Tests.Entities;

[EventType("orleans-tallied")]
public sealed record Tallied(string Sender, int Seq);

/// <summary>A command to count; one of two kinds, so that commands cross the wire as their runtime type.</summary>
public abstract record TallyCommand;

public sealed record Tally(string Sender, int Seq) : TallyCommand;

public sealed record Refuse(string Why) : TallyCommand;

/// <summary>How many commands the entity counted.</summary>
public sealed record TallyState(int Count);

/// <summary>An entity that counts the commands it is sent, each as one event naming its sender and number.</summary>
public static class TallyEntity
{
    public const string Category = "tally";

    public static IDecider<TallyCommand, TallyState, Tallied> Decider { get; } = Deciders.Decider.Create<TallyCommand, TallyState, Tallied>(
        new TallyState(0),
        (command, _) => command switch
        {
            Tally tally => [new Tallied(tally.Sender, tally.Seq)],
            Refuse refuse => throw new InvalidOperationException(refuse.Why),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        },
        (state, _) => state with { Count = state.Count + 1 });
}

/// <summary>The same count kept as durable state: only the latest state and its version are stored.</summary>
public sealed class TallyMeter : Annals.Entities.IDurableStateBehavior<TallyCommand, TallyState>
{
    public const string Category = "meter";

    public TallyState InitialState { get; } = new(0);

    public (TallyState State, long Version) HandleCommand(TallyCommand command, long version, TallyState state) => command switch
    {
        Tally => (state with { Count = state.Count + 1 }, version + 1),
        Refuse refuse => throw new InvalidOperationException(refuse.Why),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };
}
