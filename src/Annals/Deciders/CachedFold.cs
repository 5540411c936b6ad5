namespace Annals.Deciders;

/// <summary>
/// One decision's handle on its cached state: the key, and the estimated bytes of what the state it holds was folded from, so
/// that keeping the state after a commit or a refresh counts only the events added.
/// </summary>
internal sealed class CachedFold(DecisionCache cache, StateKey key)
{
    public StateKey Key { get; } = key;

    public long Bytes { get; private set; }

    public bool TryGet(out CachedState entry)
    {
        if (cache.TryGet(Key, out entry))
        {
            Bytes = entry.Bytes - DecisionCacheOptions.EntryOverhead;
            return true;
        }

        return false;
    }

    /// <summary>The state was folded from scratch: it counts these bytes alone.</summary>
    public void Restart(object? state, long mark, long bytes)
    {
        Bytes = 0;
        Keep(state, mark, bytes);
    }

    /// <summary>The state held was folded on: it counts these bytes more.</summary>
    public void Keep(object? state, long mark, long addedBytes)
    {
        Bytes += addedBytes;
        cache.Set(Key, state, mark, Bytes);
    }

    public void Forget() => cache.Remove(Key);
}
