namespace Annals.Projections;

/// <summary>How one projection reads, batches and recovers from failures.</summary>
public sealed class ProjectionOptions
{
    /// <summary>Which events the projection receives; every event when <see langword="null"/>.</summary>
    public EventFilter? Filter { get; init; }

    /// <summary>The most events in one batch. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// How long a batch that is not full waits for more events before it is delivered. Default zero: deliver what
    /// has arrived at once, so batches grow only under load and live latency stays one commit.
    /// </summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.Zero;

    /// <summary>Attempts after the first before a batch counts as failed. Default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>The delay before the first retry; each further retry doubles it, with jitter. Default 100 ms.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between retries. Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>What to do with a batch that fails every retry. Default <see cref="FailurePolicy.Stop"/>.</summary>
    public FailurePolicy OnFailure { get; init; } = FailurePolicy.Stop;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWait, TimeSpan.Zero, nameof(MaxWait));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
        if (!Enum.IsDefined(OnFailure))
        {
            throw new ArgumentOutOfRangeException(nameof(OnFailure), OnFailure, "Not a failure policy.");
        }
    }
}
