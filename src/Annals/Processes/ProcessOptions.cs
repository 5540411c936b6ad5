namespace Annals.Processes;

/// <summary>How a process runs: its projection's batches, how often its queues are looked at, and how deliveries are retried.</summary>
public sealed class ProcessOptions
{
    /// <summary>Events handled in one commit.</summary>
    /// <value>The default value is 256.</value>
    public int BatchSize { get; init; } = 256;

    /// <summary>How often the commands and timeouts queues are read when nothing in this process says there is work.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts to deliver a command, or to handle a timeout, before it is parked.</summary>
    /// <value>The default value is 10.</value>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The wait before the second attempt; it doubles with each failure, with jitter, up to <see cref="MaxRetryDelay"/>.</summary>
    /// <value>The default value is 200 ms.</value>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest wait between attempts.</summary>
    /// <value>The default value is 1 minute.</value>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
    }
}
