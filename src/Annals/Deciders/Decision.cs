namespace Annals.Deciders;

/// <summary>What a decision stored: the events, the state after them and where they are.</summary>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The events.</typeparam>
/// <param name="Stream">The stream the events were appended to.</param>
/// <param name="Events">The events decided, in order; empty when the command changed nothing.</param>
/// <param name="State">The state after the events.</param>
/// <param name="Revision">The stream's revision after the events; <see langword="null"/> when the stream has none.</param>
/// <param name="Position">The global position of the last event appended; <see langword="null"/> when none was.</param>
/// <param name="Attempts">How many times the command was decided: 1, plus one for each lost race.</param>
public sealed record Decision<TState, TEvent>(StreamName Stream, IReadOnlyList<TEvent> Events, TState State, long? Revision, long? Position, int Attempts)
{
    /// <summary>The stream's state after this decision, to decide the next command from without loading again.</summary>
    public StreamState<TState> After => new(Stream, State, Revision);
}
