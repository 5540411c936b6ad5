namespace Annals.Deciders;

/// <summary>
/// The folded states a <see cref="TypedEventStore"/> keeps between decisions, least recently used first out, bounded by
/// entries and estimated bytes. Thread-safe: one short lock per look-up or update, which costs far less than the read it saves.
/// </summary>
internal sealed class DecisionCache
{
    private readonly Dictionary<StateKey, CachedState> _entries = [];
    private readonly LinkedList<CachedState> _recency = new();
    private readonly Lock _lock = new();
    private readonly int _maxEntries;
    private readonly long _maxBytes;
    private long _bytes;

    public DecisionCache(DecisionCacheOptions options)
    {
        options.Validate();
        Enabled = options.Enabled;
        _maxEntries = options.MaxEntries;
        _maxBytes = options.MaxBytes;
    }

    public bool Enabled { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    public bool TryGet(StateKey key, out CachedState entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out entry!))
            {
                _recency.Remove(entry.Node!);
                _recency.AddFirst(entry.Node!);
                return true;
            }

            return false;
        }
    }

    /// <summary>Keeps a state valid at a mark, unless the cache already holds one of the key valid further on (a concurrent decision got there first).</summary>
    public void Set(StateKey key, object? state, long mark, long bytes)
    {
        bytes += DecisionCacheOptions.EntryOverhead;
        if (!Enabled || bytes > _maxBytes)
        {
            Remove(key);
            return;
        }

        var entry = new CachedState(key, state, mark, bytes);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var held))
            {
                if (held.Mark > mark)
                {
                    return;
                }

                Drop(held);
            }

            entry.Node = _recency.AddFirst(entry);
            _entries.Add(key, entry);
            _bytes += bytes;
            while (_entries.Count > _maxEntries || _bytes > _maxBytes)
            {
                Drop(_recency.Last!.Value);
            }
        }
    }

    public void Remove(StateKey key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var held))
            {
                Drop(held);
            }
        }
    }

    private void Drop(CachedState entry)
    {
        _entries.Remove(entry.Key);
        _recency.Remove(entry.Node!);
        _bytes -= entry.Bytes;
    }
}
