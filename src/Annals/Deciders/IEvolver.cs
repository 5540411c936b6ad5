namespace Annals.Deciders;

/// <summary>Folds events into a state: an initial state and how each event changes it.</summary>
/// <typeparam name="TState">The state; an immutable value is easiest to share (a record).</typeparam>
/// <typeparam name="TEvent">The events it understands, usually a base type or interface of a closed set.</typeparam>
public interface IEvolver<TState, in TEvent>
{
    /// <summary>The state before any event.</summary>
    TState InitialState { get; }

    /// <summary>The state after one more event. Must be pure: it also runs when a state is rebuilt from stored events.</summary>
    /// <param name="state">The state before the event.</param>
    /// <param name="event">The event.</param>
    /// <returns>The state after it.</returns>
    TState Evolve(TState state, TEvent @event);
}
