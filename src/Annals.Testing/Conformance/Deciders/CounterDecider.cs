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
        .Register<UsernameClaimed>("UsernameClaimed");
}
