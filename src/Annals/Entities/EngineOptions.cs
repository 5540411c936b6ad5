namespace Annals.Entities;

/// <summary>How an <see cref="EntityEngine"/> runs.</summary>
public sealed class EngineOptions
{
    /// <summary>How long an entity stays in memory without a command before it is passivated.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many commands may wait in one entity's mailbox before senders wait for room.</summary>
    /// <value>The default value is 1024.</value>
    public int MailboxCapacity { get; init; } = 1024;

    /// <summary>How long <see cref="EntityEngine.SendCommandAsync{TState}"/> waits for a reply when the caller gives no timeout.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping waits for queued commands to finish before the rest are failed with <see cref="EngineStoppedException"/>.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many committed events each <see cref="EntityEngine.SubscribeAsync"/> subscriber may fall behind before its oldest are dropped.</summary>
    /// <value>The default value is 10,000.</value>
    public int EventBufferCapacity { get; init; } = 10_000;

    internal void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(IdleTimeout), IdleTimeout, "EngineOptions.IdleTimeout must be positive.");
        }

        if (MailboxCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MailboxCapacity), MailboxCapacity, "EngineOptions.MailboxCapacity must be at least 1.");
        }

        if (CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CommandTimeout), CommandTimeout, "EngineOptions.CommandTimeout must be positive.");
        }

        if (StopTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StopTimeout), StopTimeout, "EngineOptions.StopTimeout must not be negative.");
        }

        if (EventBufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(EventBufferCapacity), EventBufferCapacity, "EngineOptions.EventBufferCapacity must be at least 1.");
        }
    }
}
