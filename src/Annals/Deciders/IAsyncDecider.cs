namespace Annals.Deciders;

/// <summary>
/// A decider whose decision may wait on something outside the store (a validation service, a price list): <see cref="DecideAsync"/>
/// is awaited and takes a cancellation token. Its fold stays synchronous and pure.
/// </summary>
/// <typeparam name="TCommand">The commands it decides.</typeparam>
/// <typeparam name="TState">The state the decision depends on.</typeparam>
/// <typeparam name="TEvent">The events it produces and folds.</typeparam>
/// <remarks>
/// As with <see cref="IDecider{TCommand, TState, TEvent}"/>, a command is rejected by throwing, and a decision that loses a race is
/// made again on the newer state, so <see cref="DecideAsync"/> may run more than once for one command: what it calls out to should
/// bear being asked again. Nothing is stored while it runs; when it throws or is cancelled, nothing of the command is stored.
/// Prefer <see cref="IDecider{TCommand, TState, TEvent}"/> when the decision needs nothing but the command and the state.
/// </remarks>
public interface IAsyncDecider<in TCommand, TState, TEvent> : IEvolver<TState, TEvent>
{
    /// <summary>The events a command causes in a state.</summary>
    /// <param name="command">The command.</param>
    /// <param name="state">The current state.</param>
    /// <param name="cancellationToken">Stops the decision; the command is then not stored.</param>
    /// <returns>The events, possibly none.</returns>
    ValueTask<IEnumerable<TEvent>> DecideAsync(TCommand command, TState state, CancellationToken cancellationToken);
}
