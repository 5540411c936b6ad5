using System.Collections.Immutable;
using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Testing.Conformance.Deciders;

/// <summary>Adds to a counter; rejects adding nothing or less.</summary>
internal sealed record Increment(int By);

/// <summary>A counter was increased.</summary>
internal sealed record Incremented(int By);

/// <summary>The counter's total and how many increments made it.</summary>
internal sealed record CounterState(int Total, int Increments);

/// <summary>The counter's rejection of a command.</summary>
internal sealed class CounterRejectedException(string message) : Exception(message);

/// <summary>A counter: the smallest decider with a rule, used to test the store helpers on every backend.</summary>
internal sealed class CounterDecider : IDecider<Increment, CounterState, Incremented>
{
    public CounterState InitialState { get; } = new(0, 0);

    public IEnumerable<Incremented> Decide(Increment command, CounterState state) =>
        command.By switch
        {
            < 0 => throw new CounterRejectedException($"Cannot add {command.By}."),
            0 => [],
            _ => [new Incremented(command.By)],
        };

    public CounterState Evolve(CounterState state, Incremented @event) => new(state.Total + @event.By, state.Increments + 1);
}

/// <summary>Claims a username for a user; a username is claimed once across every user stream.</summary>
internal sealed record ClaimUsername(string User, string Username);

/// <summary>A username was claimed.</summary>
internal sealed record UsernameClaimed(string User, string Username);

/// <summary>The username was already claimed.</summary>
internal sealed class UsernameTakenException(string username) : Exception($"The username '{username}' is taken.");

/// <summary>The claimed usernames, folded from every <c>user.*.UsernameClaimed</c> event.</summary>
internal sealed class UsernameDecider : IDecider<ClaimUsername, ImmutableHashSet<string>, UsernameClaimed>
{
    public static EventFilter Claims { get; } = EventFilter.Parse("user.*.UsernameClaimed");

    public ImmutableHashSet<string> InitialState => [];

    public IEnumerable<UsernameClaimed> Decide(ClaimUsername command, ImmutableHashSet<string> state) =>
        state.Contains(command.Username) ? throw new UsernameTakenException(command.Username) : [new UsernameClaimed(command.User, command.Username)];

    public ImmutableHashSet<string> Evolve(ImmutableHashSet<string> state, UsernameClaimed @event) => state.Add(@event.Username);
}

/// <summary>The registry of the decider suite's types.</summary>
internal static class DeciderTypes
{
    public static TypeRegistry Registry(int stateVersion = 1) => new TypeRegistry()
        .Register<Incremented>("counter-incremented")
        .Register<CounterState>("counter-state", stateVersion)
        .Register<UsernameClaimed>("UsernameClaimed")
        .Register<GateMoved>("gate-moved");
}

/// <summary>A gate's command: open it, close it, or pass it (rejected while it is closed).</summary>
internal sealed record GateCommand(string Kind);

/// <summary>A gate was opened, closed or passed.</summary>
internal sealed record GateMoved(string Kind);

/// <summary>Whether the gate is open, and how many passed it.</summary>
internal sealed record GateState(bool Open, int Passes);

/// <summary>The gate's rejection of a pass while it is closed.</summary>
internal sealed class GateClosedException() : Exception("The gate is closed.");

/// <summary>A gate: a rule that a newer state can lift (a pass rejected while closed is accepted once opened) and commands that change nothing (closing a closed gate), to test that a cached state is checked before a rejection or an empty decision is believed.</summary>
internal sealed class GateDecider : IDecider<GateCommand, GateState, GateMoved>
{
    public GateState InitialState { get; } = new(false, 0);

    public IEnumerable<GateMoved> Decide(GateCommand command, GateState state) => command.Kind switch
    {
        "open" => state.Open ? [] : [new GateMoved("opened")],
        "close" => state.Open ? [new GateMoved("closed")] : [],
        "pass" => state.Open ? [new GateMoved("passed")] : throw new GateClosedException(),
        _ => throw new ArgumentException($"Unknown gate command {command.Kind}.", nameof(command)),
    };

    public GateState Evolve(GateState state, GateMoved @event) => @event.Kind switch
    {
        "opened" => state with { Open = true },
        "closed" => state with { Open = false },
        _ => state with { Passes = state.Passes + 1 },
    };
}
