namespace Annals.Entities;

/// <summary>
/// An entity that keeps only its latest state and version, whose handling of a command may wait on something outside the store
/// (a validation service): <see cref="HandleCommandAsync"/> is awaited and takes the sender's deadline.
/// </summary>
/// <typeparam name="TCommand">The commands it handles.</typeparam>
/// <typeparam name="TState">Its state.</typeparam>
/// <remarks>
/// Nothing is saved while it runs; when it throws (the command's rejection) or is cancelled, nothing is saved. A command that
/// loses a race to another engine is handled again on the reloaded state, so it may run more than once for one command.
/// Prefer <see cref="IDurableStateBehavior{TCommand, TState}"/> when handling needs nothing but the command and the state.
/// </remarks>
public interface IAsyncDurableStateBehavior<in TCommand, TState>
{
    /// <summary>The state of an entity that has never been saved (version 0).</summary>
    TState InitialState { get; }

    /// <summary>Handles a command: the new state with the version after <paramref name="version"/>, or the same state and version for no change. Throw to reject the command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="version">The current version; 0 before the first save.</param>
    /// <param name="state">The current state.</param>
    /// <param name="cancellationToken">Cancelled when the sender stops waiting; nothing is saved then.</param>
    /// <returns>The new state and version (which must be <paramref name="version"/> + 1), or the current ones.</returns>
    ValueTask<(TState State, long Version)> HandleCommandAsync(TCommand command, long version, TState state, CancellationToken cancellationToken);
}
