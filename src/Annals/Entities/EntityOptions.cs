namespace Annals.Entities;

/// <summary>How the entities of one category live: idle time before passivation, mailbox, snapshots. Unset values come from <see cref="EngineOptions"/>.</summary>
public sealed class EntityOptions
{
    /// <summary>How long an entity stays in memory without a command before it is passivated (released; recovered on its next command).</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="EngineOptions.IdleTimeout"/>.</value>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>How many commands may wait in one entity's mailbox before senders wait for room.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="EngineOptions.MailboxCapacity"/>.</value>
    public int? MailboxCapacity { get; init; }

    /// <summary>When event-sourced entities save snapshots; ignored for durable-state entities.</summary>
    /// <value>The default value is <see cref="SnapshotStrategy.None"/>.</value>
    public SnapshotStrategy Snapshots { get; init; } = SnapshotStrategy.None;

    internal void Validate()
    {
        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), idle, "EntityOptions.IdleTimeout must be positive when set.");
        }

        if (MailboxCapacity is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MailboxCapacity), MailboxCapacity, "EntityOptions.MailboxCapacity must be at least 1 when set.");
        }

        ArgumentNullException.ThrowIfNull(Snapshots, nameof(Snapshots));
    }
}
