using System.Text.Json;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Annals.Testing.Conformance.Processes;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Process managers on a backend: instances started and reached by their events, their state, commands and timeouts
/// stored with the checkpoint, commands delivered at least once with stable ids, retried and parked, timeouts handed back
/// at or after their due time and dropped once their instance ended or stopped waiting, exactly once across a restart,
/// deliveries to entities and deciders that store their events once.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class ProcessConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private const string Transfers = "transfers";
    private const string CommandQueue = "process:transfers:commands";
    private const string TimeoutQueue = "process:transfers:timeouts";

    private readonly EventCodec _codec = ProcessTypes.Codec();

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected ProcessConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>An event that starts an instance stores its state, delivers its command once with the event's correlation and the event as cause, and leaves one pending timeout.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Starting_an_instance_stores_its_state_delivers_its_command_once_and_leaves_its_timeout_pending()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();

        var position = await AppendAsync(store, "t1", new TransferRequested("t1", "alice", "bob", 10));
        await host.WaitForPositionAsync(Transfers, position).WaitAsync(Patience);
        await commands.WaitForAsync(new Debit("t1", 10)).WaitAsync(Patience);
        await WaitUntilAsync(async () => (await host.GetStatusAsync(Transfers)).PendingCommands == 0);

        var request = (await ReadStreamAsync(store, S("transfer.t1")))[0];
        var (version, state, pending) = await ReadInstanceAsync(store, "t1");
        Assert.Equal(1, version);
        Assert.Equal(new TransferState("alice", "bob", 10, "debiting", 1), state);
        var (command, delivery) = Assert.Single(commands.All);
        Assert.Equal(new Debit("t1", 10), command);
        Assert.Equal(TransferProcess.Account("alice"), delivery.Target);
        Assert.Equal("corr-t1", delivery.CorrelationId);
        Assert.Equal(request.EventId.ToString(), delivery.CausationId);
        Assert.Equal(1, delivery.Attempt);
        Assert.NotEqual(Guid.Empty, delivery.MessageId);
        Assert.Null(await store.ReadMessageAsync(CommandQueue, delivery.MessageId));

        var status = await host.GetStatusAsync(Transfers);
        Assert.Equal((0, 1, 0), (status.PendingCommands, status.PendingTimeouts, status.Parked));
        Assert.Null(status.Events.LastError);
        var timeoutId = Assert.Single(pending).Value;
        Assert.Equal(TransferProcess.Deadline, Assert.Single(pending).Key);
        var timeout = await store.ReadMessageAsync(TimeoutQueue, timeoutId);
        Assert.NotNull(timeout);
        Assert.Equal(clock.GetUtcNow().AddMinutes(5), timeout.DueAt);
        Assert.Equal(0, timeout.FailureCount);
        Assert.Equal(timeoutId, Assert.Single(await store.ReadDueMessagesAsync(TimeoutQueue, DateTimeOffset.MaxValue)).MessageId);
    }

    /// <summary>An event routed to an instance that does not exist goes to OnNotFound and stores nothing; an ignored event stores nothing either.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_event_for_a_missing_instance_goes_to_OnNotFound_and_ignored_events_store_nothing()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();

        await AppendAsync(store, "ghost", new Debited("ghost"));
        var position = await AppendAsync(store, "t9", new TransferNoted("t9"));
        await host.WaitForPositionAsync(Transfers, position).WaitAsync(Patience);

        var (@event, context) = Assert.Single(process.NotFound);
        Assert.Equal(new Debited("ghost"), @event);
        Assert.Equal("ghost", context.InstanceId);
        Assert.Equal(Transfers, context.Process);
        Assert.True(context.IsNew);
        Assert.NotNull(context.Event);
        Assert.Empty(process.Handled);
        Assert.Null(await store.ReadStateAsync(InstanceKey("ghost")));
        Assert.Null(await store.ReadStateAsync(InstanceKey("t9")));
        Assert.Empty(await store.ReadDueMessagesAsync(CommandQueue, DateTimeOffset.MaxValue));
        Assert.Empty(await store.ReadDueMessagesAsync(TimeoutQueue, DateTimeOffset.MaxValue));
        var status = await host.GetStatusAsync(Transfers);
        Assert.Equal((0, 0, 0), (status.PendingCommands, status.PendingTimeouts, status.Parked));
        Assert.Equal(position, status.Events.Position);
        Assert.Empty(commands.All);
    }

    /// <summary>
    /// A timeout is not handed back before its due time: when one due a minute earlier fires, it stays pending; once the
    /// clock passes it, it is handed back once, its refund is delivered once, and the instance ends.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_timeout_fires_at_or_after_its_due_time_never_before_and_once()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();

        // "early" is due at 5 minutes, "t1" at 6.
        await StartTransferAsync(host, store, commands, "early");
        clock.Advance(TimeSpan.FromMinutes(1));
        await StartTransferAsync(host, store, commands, "t1");
        var due = clock.GetUtcNow().AddMinutes(5);

        clock.Advance(TimeSpan.FromMinutes(4));
        await commands.WaitForAsync(new Refund("early", 10)).WaitAsync(Patience);
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.NotNull(await store.ReadStateAsync(InstanceKey("t1")));
        var (_, _, pending) = await ReadInstanceAsync(store, "t1");
        Assert.NotNull(await store.ReadMessageAsync(TimeoutQueue, pending[TransferProcess.Deadline]));
        Assert.DoesNotContain(process.Handled, h => h.Message.Equals(new CreditDeadline("t1")));

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await commands.WaitForAsync(new Refund("t1", 10)).WaitAsync(Patience);
        await WaitUntilAsync(async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });

        var fired = Assert.Single(process.Handled, h => h.Message.Equals(new CreditDeadline("t1")));
        Assert.Equal(TransferProcess.Deadline, fired.Context.Timeout);
        Assert.Null(fired.Context.Event);
        Assert.True(fired.Context.Now >= due, $"The timeout due at {due:O} was handed back at {fired.Context.Now:O}.");
        Assert.Equal(1, commands.Count(new Refund("t1", 10)));
        var refund = commands.All.Single(d => d.Command.Equals(new Refund("t1", 10))).Delivery;
        Assert.Equal(pending[TransferProcess.Deadline].ToString(), refund.CausationId);
        Assert.Equal("corr-t1", refund.CorrelationId);
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));
        Assert.Null(await store.ReadMessageAsync(TimeoutQueue, pending[TransferProcess.Deadline]));
        Assert.Equal(0, (await host.GetStatusAsync(Transfers)).Parked);
    }

    /// <summary>Ending an instance removes its state and every pending timeout in the commit of the step; the clock passing their due times later hands back nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Ending_removes_the_state_and_every_pending_timeout_in_the_same_commit()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        await StartTransferAsync(host, store, commands, "sentinel");
        var reminded = await AppendAsync(store, "t1", new ReminderSet("t1", "nudge", 3));
        await host.WaitForPositionAsync(Transfers, reminded).WaitAsync(Patience);
        var (_, _, pending) = await ReadInstanceAsync(store, "t1");
        Assert.Equal([TransferProcess.Deadline, "nudge"], pending.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, (await host.GetStatusAsync(Transfers)).PendingTimeouts);

        var debited = await AppendAsync(store, "t1", new Debited("t1"));
        await host.WaitForPositionAsync(Transfers, debited).WaitAsync(Patience);
        await commands.WaitForAsync(new Credit("t1", 10)).WaitAsync(Patience);
        var ended = await AppendAsync(store, "t1", new Credited("t1"));
        await host.WaitForPositionAsync(Transfers, ended).WaitAsync(Patience);

        // The checkpoint past the end commits with the removals: none may be left once it is stored.
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));
        foreach (var id in pending.Values)
        {
            Assert.Null(await store.ReadMessageAsync(TimeoutQueue, id));
        }

        Assert.Equal(1, (await host.GetStatusAsync(Transfers)).PendingTimeouts);

        // The sentinel's deadline comes after every one of t1's: once it fired, t1's would have too.
        clock.Advance(TimeSpan.FromMinutes(10));
        await commands.WaitForAsync(new Refund("sentinel", 10)).WaitAsync(Patience);
        await WaitUntilAsync(async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.DoesNotContain(process.Handled, h => h.Context.InstanceId == "t1" && h.Context.Timeout is not null);
        Assert.Equal(1, commands.Count(new Credit("t1", 10)));
        Assert.Null((await host.GetStatusAsync(Transfers)).Events.LastError);
    }

    private ProcessHost NewHost(IEventStore store, TimeProvider clock, TransferProcess process, CommandLog commands, ProcessOptions? options = null)
    {
        var host = new ProcessHost(store, _codec, timeProvider: clock);
        host.Add(Transfers, process, options);
        commands.Register(host.Routes);
        return host;
    }

    private ProcessHost NewHost(IEventStore store, TimeProvider clock, IAsyncProcess<TransferState> process, CommandLog commands, ProcessOptions? options = null)
    {
        var host = new ProcessHost(store, _codec, timeProvider: clock);
        host.Add(Transfers, process, options);
        commands.Register(host.Routes);
        return host;
    }

    /// <summary>Starts a transfer of 10 from alice to bob and waits for its debit.</summary>
    private async Task StartTransferAsync(ProcessHost host, IEventStore store, CommandLog commands, string transfer)
    {
        var position = await AppendAsync(store, transfer, new TransferRequested(transfer, "alice", "bob", 10));
        await host.WaitForPositionAsync(Transfers, position).WaitAsync(Patience);
        await commands.WaitForAsync(new Debit(transfer, 10)).WaitAsync(Patience);
    }

    /// <summary>Appends events to a transfer's stream, in the correlation <c>corr-&lt;transfer&gt;</c>; returns the last one's position.</summary>
    private async Task<long> AppendAsync(IEventStore store, string transfer, params object[] events)
    {
        var context = new MessageContext(Guid.NewGuid().ToString(), "corr-" + transfer);
        var appended = await store.AppendAsync(S("transfer." + transfer), ExpectedRevision.Any, [.. events.Select(e => _codec.Encode(e, context))]);
        return appended.LastPosition;
    }

    private static StreamName InstanceKey(string instance) => StreamName.For("process-" + Transfers, instance);

    /// <summary>Reads an instance as stored: the version of its record, its state, and its pending timeouts by name.</summary>
    private async Task<(long Version, TransferState State, Dictionary<string, Guid> Pending)> ReadInstanceAsync(IEventStore store, string instance)
    {
        var stored = await store.ReadStateAsync(InstanceKey(instance));
        Assert.NotNull(stored);
        using var record = JsonDocument.Parse(stored.Data);
        var type = record.RootElement.GetProperty("type").GetString()!;
        var data = record.RootElement.GetProperty("state").GetBytesFromBase64();
        Assert.True(_codec.TryDecodeState<TransferState>(type, data, out var state, out var skipped), skipped);
        var pending = record.RootElement.GetProperty("timeouts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetGuid(), StringComparer.Ordinal);
        return (stored.Version, state, pending);
    }

    private async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }
}
