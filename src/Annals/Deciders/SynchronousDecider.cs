namespace Annals.Deciders;

/// <summary>
/// A synchronous decider seen as an asynchronous one, so that every decision runs through one path. It completes at once and
/// allocates nothing per decision (the value task wraps the result); it is made once per call or per entity.
/// </summary>
internal sealed class SynchronousDecider<TCommand, TState, TEvent>(IDecider<TCommand, TState, TEvent> decider) : IAsyncDecider<TCommand, TState, TEvent>, IFoldIdentity
{
    public IDecider<TCommand, TState, TEvent> Inner { get; } = decider;

    public TState InitialState => Inner.InitialState;

    // Cached states are keyed by the decider that folds them, not by this wrapper.
    public object FoldIdentity => Inner is IFoldIdentity known ? known.FoldIdentity : Inner.GetType();

    public ValueTask<IEnumerable<TEvent>> DecideAsync(TCommand command, TState state, CancellationToken cancellationToken) =>
        new(Inner.Decide(command, state));

    public TState Evolve(TState state, TEvent @event) => Inner.Evolve(state, @event);

    public static IAsyncDecider<TCommand, TState, TEvent> Of(IDecider<TCommand, TState, TEvent> decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new SynchronousDecider<TCommand, TState, TEvent>(decider);
    }
}
