namespace Annals.Deciders;

/// <summary>
/// How many folded states a <see cref="TypedEventStore"/> keeps between decisions, so that a decision reads only the events
/// stored since its state was last folded instead of the whole stream (or filter).
/// </summary>
/// <remarks>
/// The cache is bounded by entries and by approximate bytes; the least recently used states go first. A state's size is
/// estimated from the encoded form of what it was folded from: the bytes of every event folded into it (data, type name
/// and metadata) and of the snapshot it started from, plus <see cref="EntryOverhead"/>. That overestimates a state that
/// sums its events up (a balance) and is about right for one that keeps what its events carry (a set of names).
/// </remarks>
public sealed class DecisionCacheOptions
{
    /// <summary>The bytes counted for one entry besides its events: the key, the entry and the state object.</summary>
    public const int EntryOverhead = 256;

    /// <summary>10,000 states and 64 MiB.</summary>
    public static DecisionCacheOptions Default { get; } = new();

    /// <summary>No cache: every decision folds its stream (or filter) from the start, or from the stream's snapshot.</summary>
    public static DecisionCacheOptions Disabled { get; } = new() { MaxEntries = 0 };

    /// <summary>The most states kept; 0 turns the cache off.</summary>
    /// <value>The default value is 10,000.</value>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>The most bytes the kept states may count, as estimated (see the remarks on <see cref="DecisionCacheOptions"/>); 0 turns the cache off.</summary>
    /// <value>The default value is 64 MiB.</value>
    public long MaxBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Whether states are kept at all.</summary>
    internal bool Enabled => MaxEntries > 0 && MaxBytes > 0;

    internal void Validate()
    {
        if (MaxEntries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, "DecisionCacheOptions.MaxEntries must not be negative.");
        }

        if (MaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "DecisionCacheOptions.MaxBytes must not be negative.");
        }
    }
}
