namespace Annals.Deciders;

/// <summary>A watcher stopped on an error (an event it could not fold, or a subscription that failed) and will not reach the position waited for.</summary>
public sealed class WatcherFaultedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="cause">Why the watcher stopped.</param>
    public WatcherFaultedException(Exception cause)
        : base($"The watcher stopped: {cause.Message}", cause)
    {
    }
}
