namespace Annals.Storage.Providers;

/// <summary>
/// A wake-up that any number of tasks wait for and any thread fires: <see cref="Fire"/> completes the task that
/// <see cref="Next"/> handed out and starts a new one. A waiter that takes <see cref="Next"/> before it looks at what
/// changes cannot miss a change made after it looked. Once <see cref="Close"/>d, it wakes everyone for good. Made for
/// backends that wake their subscriptions (<see cref="EventStoreBase.NextAppendSignal"/>); thread-safe.
/// </summary>
public sealed class Pulse
{
    private TaskCompletionSource? _next = New();

    /// <summary>Completes at the next <see cref="Fire"/> or at <see cref="Close"/>; already complete once closed.</summary>
    public Task Next => Volatile.Read(ref _next)?.Task ?? Task.CompletedTask;

    /// <summary>Whether <see cref="Close"/> was called.</summary>
    public bool IsClosed => Volatile.Read(ref _next) is null;

    /// <summary>Wakes everyone waiting on <see cref="Next"/>; later callers of <see cref="Next"/> wait for the fire after.</summary>
    public void Fire()
    {
        var current = Volatile.Read(ref _next);
        while (current is not null)
        {
            var seen = Interlocked.CompareExchange(ref _next, New(), current);
            if (ReferenceEquals(seen, current))
            {
                current.TrySetResult();
                return;
            }

            current = seen;
        }
    }

    /// <summary>Wakes everyone, now and from now on.</summary>
    public void Close() => Interlocked.Exchange(ref _next, null)?.TrySetResult();

    // Waiters continue on the thread pool, never inline on the thread that fires (often a writer holding a lock).
    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
