using Annals.Storage;

namespace Annals.Deciders;

/// <summary>What a <see cref="Watcher{TState}"/> follows and what it does when an event cannot be folded.</summary>
public sealed class WatchOptions
{
    /// <summary>Options with every default: every event, from the start.</summary>
    public static WatchOptions Default { get; } = new();

    /// <summary>The events to fold; every event when <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EventFilter? Filter { get; init; }

    /// <summary>Fold only events after this position (the initial state given already contains those up to it).</summary>
    /// <value>The default value is 0, the start of the log.</value>
    public long AfterPosition { get; init; }

    /// <summary>
    /// Decides about an event that cannot be read or folded: <see langword="true"/> skips it and goes on;
    /// <see langword="false"/> stops the watcher, which then reports the error.
    /// When <see langword="null"/>, every such event stops the watcher.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<Exception, RecordedEvent, bool>? OnError { get; init; }

    /// <summary>How long to wait before subscribing again after the store became unavailable.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        if (AfterPosition < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AfterPosition), AfterPosition, "WatchOptions.AfterPosition must not be negative.");
        }

        if (ReconnectDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ReconnectDelay), ReconnectDelay, "WatchOptions.ReconnectDelay must not be negative.");
        }
    }
}
