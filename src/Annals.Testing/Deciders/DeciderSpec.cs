using Annals.Deciders;

namespace Annals.Testing.Deciders;

/// <summary>Given events, when a command, then events (or an exception): specifications of deciders, without a store.</summary>
/// <example>
/// <code>
/// DeciderSpec.For(new AccountDecider())
///     .Given(new AccountOpened("alice"), new Deposited(100))
///     .When(new Withdraw(30))
///     .Then(new Withdrawn(30));
/// </code>
/// </example>
public static class DeciderSpec
{
    /// <summary>Starts a specification of a decider.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="decider">The decider.</param>
    /// <returns>The specification, with no events given yet.</returns>
    public static DeciderGiven<TCommand, TState, TEvent> For<TCommand, TState, TEvent>(IDecider<TCommand, TState, TEvent> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new DeciderGiven<TCommand, TState, TEvent>(decider, [], null);
    }
}
