using System.Threading.Channels;
using Annals.InMemory;
using Annals.Processes;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.Processes;

[EventType("restarted-opened")]
public sealed record RestartOpened(string Id);

[EventType("restarted-nudge")]
public sealed record RestartNudge(string Id);

[EventType("restarted-ping")]
public sealed record RestartPing(string Id);

/// <summary>An instance that a timeout ends after it sends a command: a second <see cref="RestartOpened"/> starts it again.</summary>
public sealed class RestartProcess : IProcess<int>
{
    public EventFilter Filter { get; } = EventFilter.ForCategories("restarted");

    public int InitialState => 0;

    public ProcessRoute Route(object @event) => @event is RestartOpened opened ? ProcessRoute.Start(opened.Id) : ProcessRoute.Ignore;

    public ProcessStep<int> Handle(int state, object message, ProcessContext context) => message switch
    {
        RestartOpened opened => ProcessStep.With(state).Schedule("nudge", context.Now, new RestartNudge(opened.Id)),
        RestartNudge nudge => ProcessStep.With(state + 1).Send(StreamName.For("pinged", nudge.Id), new RestartPing(nudge.Id)).End(),
        _ => ProcessStep.With(state),
    };
}

/// <summary>
/// An instance that ended and started again under the same id is a new instance: its timeouts, and the commands they
/// send, get ids of their own, not those of the instance before it (which a handler keyed by message id, or a decider's
/// derived event ids, would take for deliveries again and drop).
/// </summary>
public sealed class RestartedInstanceTests
{
    [Fact]
    public async Task A_restarted_instance_sends_its_timeouts_commands_under_new_message_ids()
    {
        await using var store = new InMemoryEventStore();
        var codec = new EventCodec(new TypeRegistry().Register<RestartOpened>().Register<RestartNudge>().Register<RestartPing>().Register<int>("restarted-count"));
        var deliveries = Channel.CreateUnbounded<Guid>();
        await using var host = new ProcessHost(store, codec);
        host.Routes.ToHandler<RestartPing>((_, delivery, _) =>
        {
            deliveries.Writer.TryWrite(delivery.MessageId);
            return ValueTask.CompletedTask;
        });
        host.Add("restarts", new RestartProcess(), new ProcessOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        await host.StartAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await store.AppendAsync(StreamName.For("restarted", "a"), ExpectedRevision.Any, codec.Encode(new RestartOpened("a")));
        var first = await deliveries.Reader.ReadAsync(patience.Token);
        await store.AppendAsync(StreamName.For("restarted", "a"), ExpectedRevision.Any, codec.Encode(new RestartOpened("a")));
        var second = await deliveries.Reader.ReadAsync(patience.Token);

        Assert.NotEqual(first, second);
    }
}
