namespace Annals.Entities;

/// <summary>A synchronous durable-state behaviour seen as an asynchronous one, made once per registered category; it completes at once.</summary>
internal sealed class SynchronousDurableStateBehavior<TCommand, TState>(IDurableStateBehavior<TCommand, TState> behavior) : IAsyncDurableStateBehavior<TCommand, TState>
{
    public TState InitialState => behavior.InitialState;

    public ValueTask<(TState State, long Version)> HandleCommandAsync(TCommand command, long version, TState state, CancellationToken cancellationToken) =>
        new(behavior.HandleCommand(command, version, state));
}
