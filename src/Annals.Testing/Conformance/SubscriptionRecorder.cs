using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Runs one subscription in the background and records what it delivers, so a test can wait,
/// with a bound, until it has seen a position or an event, and then compare what it saw.
/// </summary>
internal sealed class SubscriptionRecorder : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RecordedEvent> _events = [];
    private readonly CancellationTokenSource _stop;
    private readonly Func<RecordedEvent, Task>? _onEvent;
    private readonly TimeSpan _patience;
    private readonly Pulse _changed = new();
    private Task _run = Task.CompletedTask;

    private SubscriptionRecorder(TimeSpan patience, CancellationToken cancellationToken, Func<RecordedEvent, Task>? onEvent)
    {
        _patience = patience;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _onEvent = onEvent;
    }

    /// <summary>The subscription's task: completes when the enumeration ends, faults when it throws.</summary>
    public Task Completion => _run;

    /// <summary>A copy of the events delivered so far.</summary>
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

    /// <summary>Starts a subscription.</summary>
    /// <param name="store">The store.</param>
    /// <param name="patience">How long a wait lasts before it fails the test.</param>
    /// <param name="afterPosition">Where it starts.</param>
    /// <param name="filter">Its filter.</param>
    /// <param name="cancellationToken">Ends it early (as well as <see cref="DisposeAsync"/>).</param>
    /// <param name="onEvent">Called before each event is recorded; a slow callback makes a slow subscriber.</param>
    /// <returns>The running recorder.</returns>
    public static SubscriptionRecorder Start(IEventStore store, TimeSpan patience, long afterPosition = 0, EventFilter? filter = null, CancellationToken cancellationToken = default, Func<RecordedEvent, Task>? onEvent = null)
    {
        var recorder = new SubscriptionRecorder(patience, cancellationToken, onEvent);
        var subscription = store.SubscribeAsync(afterPosition, filter, recorder._stop.Token);
        recorder._run = Task.Run(() => recorder.RunAsync(subscription));
        return recorder;
    }

    /// <summary>Waits until an event at or beyond a position has been delivered.</summary>
    /// <param name="position">The position.</param>
    /// <returns>The events delivered so far.</returns>
    public Task<List<RecordedEvent>> WaitForPositionAsync(long position) =>
        WaitUntilAsync(events => events.Count > 0 && events[^1].Position >= position, $"an event at position {position} or later");

    /// <summary>Waits until an event with the given id has been delivered.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <returns>The events delivered so far.</returns>
    public Task<List<RecordedEvent>> WaitForEventAsync(Guid eventId) =>
        WaitUntilAsync(events => events.Exists(e => e.EventId == eventId), $"event {eventId}");

    /// <summary>Waits until at least a number of events have been delivered.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The events delivered so far.</returns>
    public Task<List<RecordedEvent>> WaitForCountAsync(int count) =>
        WaitUntilAsync(events => events.Count >= count, $"{count} events");

    /// <summary>
    /// Stops the subscription and waits, at most the patience, for it to end. It does not fail the test:
    /// the suites assert how a subscription ends where that is the point, and a hang here would hide it.
    /// </summary>
    /// <returns>A task that completes when the subscription has ended or the patience has run out.</returns>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.WaitAsync(_patience).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The expected end of a cancelled subscription.
        }
        catch (TimeoutException)
        {
            // A subscription that ignores its token; it ends when the store is disposed.
            return;
        }

        _stop.Dispose();
    }

    private async Task RunAsync(IAsyncEnumerable<RecordedEvent> subscription)
    {
        try
        {
            await foreach (var e in subscription.ConfigureAwait(false))
            {
                if (_onEvent is not null)
                {
                    await _onEvent(e).ConfigureAwait(false);
                }

                Signal(() => _events.Add(e));
            }
        }
        finally
        {
            // Wake waiters so that they notice the end instead of waiting out their patience.
            Signal(() => { });
        }
    }

    private void Signal(Action change)
    {
        lock (_gate)
        {
            change();
        }

        _changed.Fire();
    }

    private async Task<List<RecordedEvent>> WaitUntilAsync(Func<List<RecordedEvent>, bool> condition, string what)
    {
        var deadline = Task.Delay(_patience);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_events))
                {
                    return [.. _events];
                }

                changed = _changed.Next;
            }

            if (_run.IsCompleted)
            {
                // Rethrows the subscription's error, if it failed, so the test shows it.
                await _run.ConfigureAwait(false);
                Assert.Fail($"The subscription ended before it delivered {what}; it delivered {Describe()}.");
            }

            if (await Task.WhenAny(changed, _run, deadline).ConfigureAwait(false) == deadline)
            {
                Assert.Fail($"The subscription did not deliver {what} within {_patience}; it delivered {Describe()}.");
            }
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            return _events.Count == 0 ? "no event" : $"{_events.Count} events up to position {_events[^1].Position}";
        }
    }
}
