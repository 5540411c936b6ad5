namespace Annals.Entities;

/// <summary>An entity that keeps only its latest state and version, without history.</summary>
/// <typeparam name="TCommand">The commands it handles.</typeparam>
/// <typeparam name="TState">Its state.</typeparam>
public interface IDurableStateBehavior<in TCommand, TState>
{
    /// <summary>The state of an entity that has never been saved (version 0).</summary>
    TState InitialState { get; }

    /// <summary>Handles a command: the new state with the version after <paramref name="version"/>, or the same state and version for no change. Throw to reject the command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="version">The current version; 0 before the first save.</param>
    /// <param name="state">The current state.</param>
    /// <returns>The new state and version (which must be <paramref name="version"/> + 1), or the current ones.</returns>
    (TState State, long Version) HandleCommand(TCommand command, long version, TState state);
}
