using Annals.Storage;

namespace Annals.Deciders;

/// <summary>Which events of the global log <c>TypedEventStore.EvolveAsync</c> folds.</summary>
public sealed class EvolveOptions
{
    /// <summary>Options with every default: every event from the start to the end.</summary>
    public static EvolveOptions Default { get; } = new();

    /// <summary>The events to fold; every event when <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventFilter? Filter { get; init; }

    /// <summary>Fold only events after this position (the state given already contains those up to it).</summary>
    /// <value>The default value is 0, the start of the log.</value>
    public long AfterPosition { get; init; }

    /// <summary>Fold no event after this position; the end of the log when <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public long? StopPosition { get; init; }

    internal void Validate()
    {
        if (AfterPosition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AfterPosition), AfterPosition, "EvolveOptions.AfterPosition must not be negative.");
        }

        if (StopPosition is { } stop && stop < AfterPosition)
        {
            throw new ArgumentOutOfRangeException(nameof(StopPosition), stop, "EvolveOptions.StopPosition must not be before AfterPosition.");
        }
    }
}
