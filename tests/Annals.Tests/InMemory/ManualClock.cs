namespace Annals.Tests.InMemory;

/// <summary>A clock that stands still until a test moves it, so leases lapse without waiting.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward to <paramref name="instant"/>; never back.</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        lock (_lock)
        {
            if (instant > _now)
            {
                _now = instant;
            }
        }
    }
}
