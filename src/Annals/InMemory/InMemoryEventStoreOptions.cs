using Annals.Storage;

namespace Annals.InMemory;

/// <summary>Options of an <see cref="InMemoryEventStore"/>.</summary>
public sealed class InMemoryEventStoreOptions
{
    /// <summary>The clock that stamps events, snapshots, state and messages.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The largest event allowed, data plus metadata, in bytes.</summary>
    /// <value>The default value is <see cref="EventStoreLimits.DefaultMaxEventBytes"/> (1 MiB).</value>
    public int MaxEventBytes { get; set; } = EventStoreLimits.DefaultMaxEventBytes;

    internal void Validate()
    {
        if (TimeProvider is null)
        {
            throw new ArgumentException("InMemoryEventStoreOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }

        if (MaxEventBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEventBytes), MaxEventBytes, "InMemoryEventStoreOptions.MaxEventBytes must be at least 1.");
        }
    }
}
