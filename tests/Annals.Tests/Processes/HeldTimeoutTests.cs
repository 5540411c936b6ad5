using System.Collections.Concurrent;
using Annals.InMemory;
using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Tests.Processes;

[EventType("held-started")]
public sealed record HeldStarted(string Id);

[EventType("held-finished")]
public sealed record HeldFinished(string Id);

[EventType("held-deadline")]
public sealed record HeldDeadline(string Id);

[EventType("held-refund")]
public sealed record HeldRefund(string Id);

/// <summary>Started schedules a deadline; Finished cancels it and ends; the deadline, if it comes first, refunds and ends.</summary>
public sealed class HeldProcess : IProcess<int>
{
    public EventFilter Filter { get; } = EventFilter.ForCategories("held");

    public int InitialState => 0;

    public ProcessRoute Route(object @event) => @event switch
    {
        HeldStarted e => ProcessRoute.Start(e.Id),
        HeldFinished e => ProcessRoute.To(e.Id),
        _ => ProcessRoute.Ignore,
    };

    public ProcessStep<int> Handle(int state, object message, ProcessContext context) => message switch
    {
        HeldStarted e => ProcessStep.With(state).Schedule("deadline", context.Now.AddMinutes(5), new HeldDeadline(e.Id)),
        HeldFinished => ProcessStep.With(state).Cancel("deadline").End(),
        HeldDeadline e => ProcessStep.With(state).Send(StreamName.For("refund", e.Id), new HeldRefund(e.Id)).End(),
        _ => ProcessStep.With(state),
    };
}

/// <summary>
/// After downtime, a timeout that came due while the process was down must not overtake the events stored before it: the
/// finish that makes the deadline moot is handled first, and the deadline is then dropped.
/// </summary>
public sealed class HeldTimeoutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_due_timeout_waits_for_the_events_stored_before_it()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));
        await using var store = new InMemoryEventStore(new InMemoryEventStoreOptions { TimeProvider = clock });
        var codec = new EventCodec(new TypeRegistry().Register<HeldStarted>().Register<HeldFinished>().Register<HeldDeadline>().Register<HeldRefund>().Register<int>("held-count"));
        var refunds = new ConcurrentQueue<string>();
        var options = new ProcessOptions { PollInterval = TimeSpan.FromSeconds(1) };
        var stream = StreamName.For("held", "a");

        // The instance starts, with its deadline in 5 minutes; then the process stops.
        await using (var first = Host(store, codec, clock, refunds, null, options))
        {
            await first.StartAsync();
            var started = await store.AppendAsync(stream, ExpectedRevision.NoStream, codec.Encode(new HeldStarted("a")));
            await first.WaitForPositionAsync("held", started.LastPosition).WaitAsync(Patience);
            await first.StopAsync();
        }

        // While it is down, the finish is stored, and the deadline comes due.
        var finished = await store.AppendAsync(stream, ExpectedRevision.Any, codec.Encode(new HeldFinished("a")));
        clock.Advance(TimeSpan.FromMinutes(10));

        // It starts again with its event side paused: the due deadline is held back, not handed to the instance.
        var logs = new FakeLogCollector();
        await using var second = Host(store, codec, clock, refunds, logs, options);
        second.Pause("held");
        await second.StartAsync();
        using var patience = new CancellationTokenSource(Patience);
        while (!logs.GetSnapshot().Any(r => r.Id.Id == 508))
        {
            patience.Token.ThrowIfCancellationRequested();
            clock.Advance(options.PollInterval);
            await Task.Yield();
        }

        Assert.Empty(refunds);
        Assert.NotNull(await store.ReadStateAsync(StreamName.For("process-held", "a")));
        Assert.Single(await store.ReadDueMessagesAsync("process:held:timeouts", clock.GetUtcNow()));

        // Once the finish is handled, the instance has ended with its deadline: nothing is refunded.
        second.Resume("held");
        await second.WaitForPositionAsync("held", finished.LastPosition).WaitAsync(Patience);
        clock.Advance(options.PollInterval);
        Assert.Null(await store.ReadStateAsync(StreamName.For("process-held", "a")));
        Assert.Empty(await store.ReadDueMessagesAsync("process:held:timeouts", DateTimeOffset.MaxValue));
        Assert.Empty(refunds);
    }

    private static ProcessHost Host(IEventStore store, EventCodec codec, TimeProvider clock, ConcurrentQueue<string> refunds, FakeLogCollector? logs, ProcessOptions options)
    {
        var loggers = logs is null ? null : LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        var host = new ProcessHost(store, codec, loggerFactory: loggers, timeProvider: clock);
        host.Routes.ToHandler<HeldRefund>((refund, _, _) =>
        {
            refunds.Enqueue(refund.Id);
            return ValueTask.CompletedTask;
        });
        return host.Add("held", new HeldProcess(), options);
    }
}
