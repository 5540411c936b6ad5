using Annals.Storage;

namespace Annals.Deciders;

/// <summary>What a decision stored: the events, the state after them and where they are.</summary>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The events.</typeparam>
/// <param name="Stream">The stream the events were appended to.</param>
/// <param name="Events">The events decided, in order; empty when the command changed nothing. When <see cref="Replayed"/>: the events as stored the first time.</param>
/// <param name="State">The state after the events. When <see cref="Replayed"/>: the stream's state now, which may hold later events too.</param>
/// <param name="Revision">The stream's revision after the events; <see langword="null"/> when the stream has none.</param>
/// <param name="Position">The global position of the last event appended; <see langword="null"/> when none was.</param>
/// <param name="Attempts">How many times the command was decided: 1, plus one for each lost race.</param>
public sealed record Decision<TState, TEvent>(StreamName Stream, IReadOnlyList<TEvent> Events, TState State, long? Revision, long? Position, int Attempts)
{
    private readonly long? _stateRevision;

    /// <summary>
    /// Whether this call stored nothing because the command had been decided and stored before: it was sent
    /// again with the same <see cref="Serialization.MessageContext.MessageId"/>, and the store recognised the
    /// ids of its events. <see cref="Revision"/>, <see cref="Position"/> and <see cref="Events"/> then name the
    /// first append and its events as stored, and <see cref="State"/> is the stream's state now (for a decision
    /// over a filter, the filter's). A command decided again on the very state it was first decided on gets the
    /// first decision back as it was, and reads as a new one.
    /// </summary>
    public bool Replayed { get; init; }

    /// <summary>The stream's state after this decision, to decide the next command from without loading again.</summary>
    public StreamState<TState> After => new(Stream, State, _stateRevision ?? Revision);

    /// <summary>The revision <see cref="State"/> was folded up to, when that is past <see cref="Revision"/> (a replayed decision on a stream that moved on).</summary>
    internal long? StateRevision
    {
        get => _stateRevision ?? Revision;
        init => _stateRevision = value;
    }
}
