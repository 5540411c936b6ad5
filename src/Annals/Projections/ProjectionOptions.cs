using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Projections;

/// <summary>How one projection reads, batches and recovers from failures.</summary>
public sealed class ProjectionOptions
{
    /// <summary>Which events the projection receives; every event when <see langword="null"/>.</summary>
    public EventFilter? Filter { get; init; }

    /// <summary>The most events in one batch while the projection keeps up with the log. Default 256.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>
    /// The most events in one batch while the projection is behind (a full batch of <see cref="BatchSize"/> was already
    /// waiting): catch-up and rebuilds commit fewer, larger batches. Such a batch stops growing past
    /// <see cref="BatchSize"/> once its event data reaches <see cref="LogPageSizer.TargetBytes"/>. Never less than
    /// <see cref="BatchSize"/>. Default 4096; set it to <see cref="BatchSize"/> to keep every batch small (for instance
    /// when effects outside the store are delivered again after a crash, a whole batch at a time, or when a handler's
    /// failure should cost few events handled again one at a time).
    /// </summary>
    public int CatchUpBatchSize { get; init; } = 4096;

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

    /// <summary>
    /// Splits the projection into this many partitions by a hash of the stream name (<see cref="StreamPartitions"/>), each
    /// with its own checkpoint and lease, named <c>&lt;name&gt;/p&lt;k&gt;</c>: events of one stream stay in order in one
    /// partition, and partitions run in parallel. With leases, the hosts that add the projection form a consumer group
    /// and share its partitions fairly, rebalancing as members join and leave. Default 1; fixed for the projection's
    /// life, since checkpoints are per partition. At most 64.
    /// </summary>
    public int Partitions { get; init; } = 1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CatchUpBatchSize, 1, nameof(CatchUpBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Partitions, 1, nameof(Partitions));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Partitions, 64, nameof(Partitions));
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
