namespace Annals.Tests.Core;

/// <summary>
/// A clock that records every delay asked of it. With <c>fire</c> its timers go off at once (on
/// the thread pool), so a back-off costs no real time; without it they never go off.
/// </summary>
internal sealed class RecordingTimeProvider(bool fire) : TimeProvider
{
    private readonly List<TimeSpan> _delays = [];
    private readonly TaskCompletionSource _firstTimer = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<TimeSpan> Delays
    {
        get
        {
            lock (_delays)
            {
                return [.. _delays];
            }
        }
    }

    /// <summary>Completes when the first timer has been made: something waits on this clock.</summary>
    public Task FirstTimer => _firstTimer.Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (_delays)
        {
            _delays.Add(dueTime);
        }

        _firstTimer.TrySetResult();
        if (fire)
        {
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new IdleTimer();
    }

    private sealed class IdleTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
