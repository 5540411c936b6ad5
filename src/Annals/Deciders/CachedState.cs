namespace Annals.Deciders;

/// <summary>
/// A folded state as the cache holds it: the state, where it is valid (a stream's revision, or a filter's position), and its
/// estimated size. Immutable: an update replaces the entry, so a caller never sees a state and a mark that do not belong together.
/// </summary>
internal sealed class CachedState(StateKey key, object? state, long mark, long bytes)
{
    public StateKey Key { get; } = key;

    public object? State { get; } = state;

    /// <summary>The revision of the last event folded in (a stream), or the position (a filter).</summary>
    public long Mark { get; } = mark;

    public long Bytes { get; } = bytes;

    /// <summary>Its place in the cache's recency list; touched only under the cache's lock.</summary>
    internal LinkedListNode<CachedState>? Node { get; set; }
}
