namespace Annals.Storage.Providers;

/// <summary>Exponential back-off with jitter, for every retry loop of the library.</summary>
public static class Backoff
{
    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first): <c>min(max, first × 2^(retry − 1))</c>.</summary>
    /// <param name="first">The delay before the first retry.</param>
    /// <param name="max">The longest delay.</param>
    /// <param name="retry">The retry's number, from 1.</param>
    /// <returns>The delay's ceiling.</returns>
    public static TimeSpan Ceiling(TimeSpan first, TimeSpan max, int retry)
    {
        // The exponent is capped so that the product stays finite (0 × ∞ would not be a number).
        var exponential = first.Ticks * Math.Pow(2, Math.Clamp(retry - 1, 0, 62));
        return TimeSpan.FromTicks((long)Math.Min(exponential, max.Ticks));
    }

    /// <summary>A random delay between zero and <see cref="Ceiling"/> (full jitter): parties that failed together spread out most.</summary>
    /// <param name="first">The delay before the first retry.</param>
    /// <param name="max">The longest delay.</param>
    /// <param name="retry">The retry's number, from 1.</param>
    /// <param name="random">The source of jitter.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan FullJitter(TimeSpan first, TimeSpan max, int retry, Random random) =>
        TimeSpan.FromTicks((long)(random.NextDouble() * Ceiling(first, max, retry).Ticks));

    /// <summary>A random delay between half of <see cref="Ceiling"/> and all of it (equal jitter): spread out, and never at once.</summary>
    /// <param name="first">The delay before the first retry.</param>
    /// <param name="max">The longest delay.</param>
    /// <param name="retry">The retry's number, from 1.</param>
    /// <param name="random">The source of jitter.</param>
    /// <returns>The delay.</returns>
    public static TimeSpan EqualJitter(TimeSpan first, TimeSpan max, int retry, Random random)
    {
        var ceiling = Ceiling(first, max, retry).Ticks;
        var half = ceiling / 2;
        return TimeSpan.FromTicks(ceiling - half + (long)(random.NextDouble() * half));
    }
}
