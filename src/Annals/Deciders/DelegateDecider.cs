namespace Annals.Deciders;

/// <summary>A decider made of functions (<see cref="Decider.Create"/>).</summary>
internal sealed class DelegateDecider<TCommand, TState, TEvent>(
    TState initialState,
    Func<TCommand, TState, IEnumerable<TEvent>> decide,
    Func<TState, TEvent, TState> evolve) : IDecider<TCommand, TState, TEvent>, IFoldIdentity
{
    public TState InitialState => initialState;

    // Every decider made of functions is this one class: its fold is its initial state and evolve function.
    public object FoldIdentity { get; } = (evolve, (object?)initialState);

    public IEnumerable<TEvent> Decide(TCommand command, TState state) => decide(command, state);

    public TState Evolve(TState state, TEvent @event) => evolve(state, @event);
}
