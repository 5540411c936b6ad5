namespace Annals.Deciders;

/// <summary>A state folded from the events of a filter.</summary>
/// <typeparam name="TState">The state.</typeparam>
/// <param name="State">The state.</param>
/// <param name="Position">The position of the last event folded in, or the starting position when there was none.</param>
/// <param name="Count">How many stored events were folded in.</param>
public sealed record EvolveResult<TState>(TState State, long Position, long Count);
