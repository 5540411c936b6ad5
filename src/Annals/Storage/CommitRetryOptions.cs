using Annals.Storage.Providers;

namespace Annals.Storage;

/// <summary>
/// How <see cref="CommitRetryExtensions.CommitWithRetryAsync"/> retries a commit that failed with
/// <see cref="StoreUnavailableException"/>: a bounded number of attempts, with an exponential
/// back-off and jitter between them.
/// </summary>
public sealed class CommitRetryOptions
{
    /// <summary>How many times the commit is tried in all, the first attempt included.</summary>
    /// <value>The default value is 5. At least 1; 1 means no retry.</value>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The back-off before the first retry; it doubles before each following retry.</summary>
    /// <value>The default value is 100 milliseconds. Zero or more.</value>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two attempts.</summary>
    /// <value>The default value is 5 seconds. At least <see cref="FirstDelay"/>.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock that times the back-off.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The back-off before retry number <paramref name="retry"/> (1 for the first): the exponential
    /// delay <c>d = min(MaxDelay, FirstDelay × 2^(retry − 1))</c>, then a random point between
    /// <c>d/2</c> and <c>d</c> (equal jitter): writers that failed together do not retry in step,
    /// and none retries at once.
    /// </summary>
    internal TimeSpan DelayBefore(int retry, Random random) => Backoff.EqualJitter(FirstDelay, MaxDelay, retry, random);

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "CommitRetryOptions.MaxAttempts must be at least 1.");
        }

        if (FirstDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstDelay), FirstDelay, "CommitRetryOptions.FirstDelay must not be negative.");
        }

        if (MaxDelay < FirstDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, "CommitRetryOptions.MaxDelay must be at least FirstDelay.");
        }

        if (TimeProvider is null)
        {
            throw new ArgumentException("CommitRetryOptions.TimeProvider must not be null.", nameof(TimeProvider));
        }
    }
}
