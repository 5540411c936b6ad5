namespace Annals.Deciders;

/// <summary>Decides which events a command causes in a given state, and folds events into that state.</summary>
/// <typeparam name="TCommand">The commands it decides.</typeparam>
/// <typeparam name="TState">The state the decision depends on.</typeparam>
/// <typeparam name="TEvent">The events it produces and folds.</typeparam>
/// <remarks>
/// <see cref="Decide"/> rejects a command by throwing (a domain exception of the application's own);
/// it returns no events when the command changes nothing. Both methods must be pure: a decision
/// that loses a race is made again on the newer state.
/// </remarks>
public interface IDecider<in TCommand, TState, TEvent> : IEvolver<TState, TEvent>
{
    /// <summary>The events a command causes in a state.</summary>
    /// <param name="command">The command.</param>
    /// <param name="state">The current state.</param>
    /// <returns>The events, possibly none.</returns>
    IEnumerable<TEvent> Decide(TCommand command, TState state);
}
