using Annals.Storage;
using Xunit;

namespace Annals.TestWorker;

/// <summary>
/// Follows a store's log in the background, by a subscription or by polling
/// <see cref="IEventReader.ReadAllAsync"/> after the last position seen, and records every event it
/// sees, noting the first time a position does not follow the one before.
/// </summary>
public sealed class LogObserver : IAsyncDisposable
{
    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _changed = NewSignal();
    private Task _run = Task.CompletedTask;
    private string? _violation;
    private int _interruptions;

    private LogObserver(string name) => Name = name;

    public string Name { get; }

    /// <summary>A copy of what was seen so far.</summary>
    public List<RecordedEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The first position seen that did not come after the one before; null while there is none.</summary>
    public string? Violation
    {
        get
        {
            lock (_gate)
            {
                return _violation;
            }
        }
    }

    /// <summary>How often a poll failed because the server could not be reached (and was tried again).</summary>
    public int Interruptions => Volatile.Read(ref _interruptions);

    public static LogObserver Subscribe(IEventStore store, string name, EventFilter? filter = null)
    {
        var observer = new LogObserver(name);
        var subscription = store.SubscribeAsync(0, filter, observer._stop.Token);
        observer._run = Task.Run(async () =>
        {
            await foreach (var e in subscription)
            {
                observer.Record(e);
            }
        });
        return observer;
    }

    public static LogObserver Poll(IEventStore store, string name)
    {
        var observer = new LogObserver(name);
        observer._run = Task.Run(() => observer.PollAsync(store, observer._stop.Token));
        return observer;
    }

    /// <summary>Waits, at most <paramref name="patience"/>, until an event at <paramref name="position"/> or later has been seen.</summary>
    public async Task WaitForPositionAsync(long position, TimeSpan patience)
    {
        var deadline = Task.Delay(patience);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_events.Count > 0 && _events[^1].Position >= position)
                {
                    return;
                }

                changed = _changed.Task;
            }

            if (_run.IsCompleted)
            {
                // Shows the error that ended it, if any.
                await _run;
                Assert.Fail($"{Name} ended before it saw position {position}; {Describe()}.");
            }

            if (await Task.WhenAny(changed, _run, deadline) == deadline)
            {
                Assert.Fail($"{Name} did not see position {position} within {patience}; {Describe()}.");
            }
        }
    }

    /// <summary>Stops following and waits for the end; an error of the follower is thrown here.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
            // The end of a cancelled subscription or poll.
        }
        finally
        {
            _stop.Dispose();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task PollAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var after = 0L;
        while (true)
        {
            try
            {
                await foreach (var e in store.ReadAllAsync(after, cancellationToken: cancellationToken))
                {
                    Record(e);
                    after = e.Position;
                }
            }
            catch (StoreUnavailableException)
            {
                Interlocked.Increment(ref _interruptions);
            }

            await Task.Delay(PollPause, cancellationToken);
        }
    }

    private void Record(RecordedEvent e)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_events.Count > 0 && e.Position <= _events[^1].Position)
            {
                _violation ??= $"{Name} saw {LogChecks.Show(e)} after {LogChecks.Show(_events[^1])} (event #{_events.Count}).";
            }

            _events.Add(e);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private string Describe()
    {
        lock (_gate)
        {
            return _events.Count == 0 ? "it saw nothing" : $"it saw {_events.Count} events up to position {_events[^1].Position}";
        }
    }
}
