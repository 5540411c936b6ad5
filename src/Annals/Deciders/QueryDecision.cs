using Annals.Storage;

namespace Annals.Deciders;

/// <summary>What a decision over a query did: the events, in the order stored, the state after them, and where they went.</summary>
/// <typeparam name="TState">The state, folded from the query's events.</typeparam>
/// <typeparam name="TEvent">The events.</typeparam>
/// <param name="Events">The events decided, grouped by stream in the order each stream first came up, each stream's in the order decided (empty when the command changed nothing).</param>
/// <param name="State">The state the query's events folded into, with every decided event evolved in.</param>
/// <param name="Position">
/// The position the decision is consistent up to: the commit's last position, or, when nothing was appended, the log's
/// head when the query was read (or a matching event read past it), also when the last matching event is older.
/// </param>
/// <param name="Appends">Each stream's append, in commit order; empty when nothing was appended.</param>
/// <param name="Attempts">How many times the command was decided: 1 unless a race was lost.</param>
public sealed record QueryDecision<TState, TEvent>(IReadOnlyList<TEvent> Events, TState State, long Position, IReadOnlyList<AppendResult> Appends, int Attempts)
{
    /// <summary>Whether the command was sent before with the same message id and its events were found stored: nothing was stored again.</summary>
    public bool Replayed { get; init; }
}
