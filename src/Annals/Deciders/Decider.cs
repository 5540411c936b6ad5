namespace Annals.Deciders;

/// <summary>Makes deciders and evolvers of functions, for when a class of their own is more than needed.</summary>
public static class Decider
{
    /// <summary>Makes a decider of three parts.</summary>
    /// <typeparam name="TCommand">The commands.</typeparam>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="initialState">The state before any event.</param>
    /// <param name="decide">The events a command causes in a state.</param>
    /// <param name="evolve">The state after one more event.</param>
    /// <returns>The decider.</returns>
    public static IDecider<TCommand, TState, TEvent> Create<TCommand, TState, TEvent>(
        TState initialState,
        Func<TCommand, TState, IEnumerable<TEvent>> decide,
        Func<TState, TEvent, TState> evolve)
    {
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentNullException.ThrowIfNull(evolve);
        return new DelegateDecider<TCommand, TState, TEvent>(initialState, decide, evolve);
    }

    /// <summary>Makes an evolver of two parts.</summary>
    /// <typeparam name="TState">The state.</typeparam>
    /// <typeparam name="TEvent">The events.</typeparam>
    /// <param name="initialState">The state before any event.</param>
    /// <param name="evolve">The state after one more event.</param>
    /// <returns>The evolver.</returns>
    public static IEvolver<TState, TEvent> Evolver<TState, TEvent>(TState initialState, Func<TState, TEvent, TState> evolve)
    {
        ArgumentNullException.ThrowIfNull(evolve);
        return new DelegateDecider<object, TState, TEvent>(initialState, static (_, _) => [], evolve);
    }
}
