using System.Text.Json;
using Annals.Deciders;
using Annals.Entities;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Annals.Testing.Conformance.Deciders;
using Annals.Testing.Conformance.Entities;
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

    /// <summary>The clock moves by this much while a test waits for what a due time brings: a poll interval, less than every back-off.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>Queues looked at every tick of the test's clock; retries after 100 to 200 ms; parked after the third attempt.</summary>
    private static readonly ProcessOptions Options = new() { PollInterval = Tick, RetryDelay = TimeSpan.FromMilliseconds(100), MaxRetryDelay = TimeSpan.FromMilliseconds(200), MaxAttempts = 3 };

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
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("early", 10)));
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.NotNull(await store.ReadStateAsync(InstanceKey("t1")));
        var (_, _, pending) = await ReadInstanceAsync(store, "t1");
        Assert.NotNull(await store.ReadMessageAsync(TimeoutQueue, pending[TransferProcess.Deadline]));
        Assert.DoesNotContain(process.Handled, h => h.Message.Equals(new CreditDeadline("t1")));

        clock.Advance(TimeSpan.FromMinutes(1));
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("t1", 10)));
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
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("sentinel", 10)));
        await WaitUntilAsync(async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.DoesNotContain(process.Handled, h => h.Context.InstanceId == "t1" && h.Context.Timeout is not null);
        Assert.Equal(1, commands.Count(new Credit("t1", 10)));
        Assert.Null((await host.GetStatusAsync(Transfers)).Events.LastError);
    }

    /// <summary>A timeout whose instance was removed by another commit is dropped when it comes due: nothing is sent, and the process shows no fault.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_timeout_of_an_instance_removed_meanwhile_is_dropped_without_error()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        var (version, _, pending) = await ReadInstanceAsync(store, "t1");

        await store.CommitAsync(new CommitBatch().DeleteState(InstanceKey("t1"), version));
        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, async () => await store.ReadMessageAsync(TimeoutQueue, pending[TransferProcess.Deadline]) is null);

        Assert.DoesNotContain(process.Handled, h => h.Context.Timeout is not null);
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        await AssertHealthyAsync(host);
    }

    /// <summary>
    /// A step that ends the instance commits while its timeout is due and being handed back: the timeout's step loses
    /// the race, finds the instance gone, and is dropped; only the end's effects are stored, and nothing faults.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_timeout_racing_the_step_that_ends_its_instance_is_dropped_without_error()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var inner = new TransferProcess();
        var process = new AsyncTransferProcess(inner) { HoldTimeouts = true };
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        var debited = await AppendAsync(store, "t1", new Debited("t1"));
        await host.WaitForPositionAsync(Transfers, debited).WaitAsync(Patience);
        var (_, _, pending) = await ReadInstanceAsync(store, "t1");

        // The deadline is read and its step is under way when the credit ends the instance.
        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, process.Holding);
        var ended = await AppendAsync(store, "t1", new Credited("t1"));
        await host.WaitForPositionAsync(Transfers, ended).WaitAsync(Patience);
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));
        process.Release();
        await AdvanceUntilAsync(clock, async () => await store.ReadMessageAsync(TimeoutQueue, pending[TransferProcess.Deadline]) is null);

        // The deadline's step ran, lost, and stored nothing: no refund, no state brought back.
        await AdvanceUntilAsync(clock, async () => (await host.GetStatusAsync(Transfers)).PendingCommands == 0);
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));
        Assert.Empty(await store.ReadDueMessagesAsync(CommandQueue, DateTimeOffset.MaxValue));
        await AssertHealthyAsync(host);
    }

    /// <summary>Scheduling a name again replaces its pending timeout, and only the second fires; cancelling a name not pending changes nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Scheduling_a_name_again_replaces_its_timeout_and_cancelling_one_not_pending_does_nothing()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        await StartTransferAsync(host, store, commands, "sentinel");
        var (_, _, first) = await ReadInstanceAsync(store, "t1");

        var moved = await AppendAsync(store, "t1", new DeadlineMoved("t1", 8));
        await host.WaitForPositionAsync(Transfers, moved).WaitAsync(Patience);
        var (_, _, second) = await ReadInstanceAsync(store, "t1");
        Assert.NotEqual(first[TransferProcess.Deadline], second[TransferProcess.Deadline]);
        Assert.Null(await store.ReadMessageAsync(TimeoutQueue, first[TransferProcess.Deadline]));
        var replacement = await store.ReadMessageAsync(TimeoutQueue, second[TransferProcess.Deadline]);
        Assert.Equal(clock.GetUtcNow().AddMinutes(8), replacement?.DueAt);

        var forgotten = await AppendAsync(store, "t1", new TimeoutForgotten("t1", "never-scheduled"));
        await host.WaitForPositionAsync(Transfers, forgotten).WaitAsync(Patience);
        var (_, state, third) = await ReadInstanceAsync(store, "t1");
        Assert.Equal(second, third);
        Assert.Equal(3, state.Steps);
        Assert.Equal(2, (await host.GetStatusAsync(Transfers)).PendingTimeouts);

        // The sentinel's deadline is the first one's time: when it fires, t1's first deadline would have.
        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("sentinel", 10)));
        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        Assert.NotNull(await store.ReadStateAsync(InstanceKey("t1")));

        clock.Advance(TimeSpan.FromMinutes(3));
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("t1", 10)));
        await AdvanceUntilAsync(clock, async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });
        Assert.Equal(1, commands.Count(new Refund("t1", 10)));
        Assert.Single(process.Handled, h => h.Context.InstanceId == "t1" && h.Context.Timeout is not null);
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));
        await AssertHealthyAsync(host);
    }

    /// <summary>
    /// A step that replaces a timeout commits while the old one is due and being handed back: the old one is dropped
    /// without error, and only the replacement fires, at its own time.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_timeout_replaced_while_it_is_being_handed_back_is_dropped_and_the_replacement_fires()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var inner = new TransferProcess();
        var process = new AsyncTransferProcess(inner) { HoldTimeouts = true };
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        var (_, _, first) = await ReadInstanceAsync(store, "t1");

        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, process.Holding);
        var moved = await AppendAsync(store, "t1", new DeadlineMoved("t1", 10));
        await host.WaitForPositionAsync(Transfers, moved).WaitAsync(Patience);
        var (_, _, second) = await ReadInstanceAsync(store, "t1");
        var replacement = await store.ReadMessageAsync(TimeoutQueue, second[TransferProcess.Deadline]);
        process.Release();
        await AdvanceUntilAsync(clock, async () => await store.ReadMessageAsync(TimeoutQueue, first[TransferProcess.Deadline]) is null);

        Assert.Equal(0, commands.Count(new Refund("t1", 10)));
        var (_, state, pending) = await ReadInstanceAsync(store, "t1");
        Assert.Equal(second, pending);
        Assert.Equal("debiting", state.Stage);
        Assert.Equal(1, (await host.GetStatusAsync(Transfers)).PendingTimeouts);

        clock.SetUtcNow(replacement!.DueAt);
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("t1", 10)));
        await AdvanceUntilAsync(clock, async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });
        Assert.Equal(1, commands.Count(new Refund("t1", 10)));
        // The old one's step ran and lost; the replacement's is the one stored.
        Assert.True(inner.Handled.Last(h => h.Message is CreditDeadline).Context.Now >= replacement.DueAt);
        await AssertHealthyAsync(host);
    }

    /// <summary>
    /// An instance started again after it ended, while a command of its first life is still parked, gets timeouts and
    /// commands of ids of their own: its deadline fires and its refund is delivered.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_instance_started_again_after_it_ended_gets_timeouts_and_commands_of_its_own()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog { Fail = (c, _) => c is Refund { Amount: 10 } ? new InvalidOperationException("Account closed.") : null };
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "t1");
        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, async () => (await host.GetStatusAsync(Transfers)).Parked == 1);
        Assert.Null(await store.ReadStateAsync(InstanceKey("t1")));

        var restarted = await AppendAsync(store, "t1", new TransferRequested("t1", "alice", "bob", 20));
        await host.WaitForPositionAsync(Transfers, restarted).WaitAsync(Patience);
        await commands.WaitForAsync(new Debit("t1", 20)).WaitAsync(Patience);
        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("t1", 20)));

        var first = commands.All.First(d => d.Command.Equals(new Refund("t1", 10))).Delivery;
        var second = commands.All.Single(d => d.Command.Equals(new Refund("t1", 20))).Delivery;
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.NotEqual(first.CausationId, second.CausationId);
        await AdvanceUntilAsync(clock, async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0, Parked: 1 });
        Assert.Null((await host.GetStatusAsync(Transfers)).Events.LastError);
    }

    /// <summary>
    /// A failing delivery is retried with back-off, its failure count and last error kept on the message, the same message
    /// id and a growing attempt number each time; after the last attempt it is parked, and later commands still go.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_failing_delivery_is_retried_with_back_off_then_parked_without_blocking_later_commands()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var process = new TransferProcess();
        var commands = new CommandLog { Fail = (c, d) => c is Debit { Transfer: "bad" } ? new InvalidOperationException($"Account down (attempt {d.Attempt}).") : null };
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "bad");
        var id = commands.All.Single().Delivery.MessageId;

        for (var attempt = 1; attempt <= Options.MaxAttempts; attempt++)
        {
            var failures = attempt;
            await AdvanceUntilAsync(clock, commands.WaitForAsync(all => all.Count(d => d.Delivery.MessageId == id) >= failures));
            QueueMessage? failed = null;
            await WaitUntilAsync(async () => (failed = await store.ReadMessageAsync(CommandQueue, id)) is { } m && m.FailureCount == failures);
            Assert.Equal($"InvalidOperationException: Account down (attempt {attempt}).", failed!.LastError);
            if (attempt < Options.MaxAttempts)
            {
                Assert.True(failed.DueAt <= clock.GetUtcNow() + Options.MaxRetryDelay, $"Retried at {failed.DueAt:O}, later than the longest back-off.");
                Assert.NotEqual(ParkedEvents.NotDue, failed.DueAt);
            }
            else
            {
                Assert.Equal(ParkedEvents.NotDue, failed.DueAt);
            }
        }

        var deliveries = commands.All.Where(d => d.Delivery.MessageId == id).Select(d => d.Delivery).ToList();
        Assert.Equal([1, 2, 3], deliveries.Select(d => d.Attempt));
        Assert.All(deliveries, d => Assert.Equal(new CommandDelivery(id, TransferProcess.Account("alice"), "corr-bad", deliveries[0].CausationId, d.Attempt), d));
        var status = await host.GetStatusAsync(Transfers);
        Assert.Equal((0, 1), (status.PendingCommands, status.Parked));

        // A later command is delivered; the parked one is not tried again.
        await StartTransferAsync(host, store, commands, "good");
        clock.Advance(TimeSpan.FromSeconds(10));
        var debited = await AppendAsync(store, "good", new Debited("good"));
        await host.WaitForPositionAsync(Transfers, debited).WaitAsync(Patience);
        await commands.WaitForAsync(new Credit("good", 10)).WaitAsync(Patience);
        Assert.Equal(Options.MaxAttempts, commands.All.Count(d => d.Delivery.MessageId == id));
        Assert.Equal(1, (await host.GetStatusAsync(Transfers)).Parked);
    }

    /// <summary>
    /// A host stopped while it handles a batch, and a new host on the same store, leave every instance as if it never
    /// stopped: its state, one command with an id of its own for each event that sends one, and its pending timeout.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Stopping_while_events_are_handled_and_starting_again_handles_each_event_exactly_once()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var transfers = Enumerable.Range(1, 8).Select(i => $"t{i}").ToList();
        foreach (var t in transfers)
        {
            await AppendAsync(store, t, new TransferRequested(t, "alice", "bob", 10));
        }

        foreach (var t in transfers)
        {
            await AppendAsync(store, t, new Debited(t));
        }

        var ended = transfers.Where((_, i) => i % 2 == 0).ToList();
        long head = 0;
        foreach (var t in ended)
        {
            head = await AppendAsync(store, t, new Credited(t));
        }

        var commands = new CommandLog();
        var options = new ProcessOptions { BatchSize = 5, PollInterval = Tick };
        var held = new AsyncTransferProcess(new TransferProcess()) { HoldAfterEvents = 12 };
        var first = NewHost(store, clock, held, commands, options);
        await first.StartAsync();
        await held.Holding.WaitAsync(Patience);
        await first.DisposeAsync();
        var checkpoint = await store.ReadCheckpointAsync("process:" + Transfers) ?? 0;
        Assert.InRange(checkpoint, 1, head - 1);

        await using var second = NewHost(store, clock, new AsyncTransferProcess(new TransferProcess()), commands, options);
        await second.StartAsync();
        await second.WaitForPositionAsync(Transfers, head).WaitAsync(Patience);
        await WaitUntilAsync(async () => (await second.GetStatusAsync(Transfers)).PendingCommands == 0);

        // One message id per command, each delivered; one command per event that sends one.
        var sent = commands.All.GroupBy(d => d.Delivery.MessageId).Select(g => g.Select(d => d.Command).Distinct().Single()).ToList();
        var expected = transfers.SelectMany(t => new object[] { new Debit(t, 10), new Credit(t, 10) }).ToList();
        Assert.Equal(expected.Count, sent.Count);
        Assert.Equal(expected.Select(c => c.ToString()).Order(StringComparer.Ordinal), sent.Select(c => c.ToString()).Order(StringComparer.Ordinal));
        var timeouts = await store.ReadDueMessagesAsync(TimeoutQueue, DateTimeOffset.MaxValue);
        Assert.Equal(transfers.Count - ended.Count, timeouts.Count);
        foreach (var t in transfers)
        {
            if (ended.Contains(t))
            {
                Assert.Null(await store.ReadStateAsync(InstanceKey(t)));
                continue;
            }

            var (_, state, pending) = await ReadInstanceAsync(store, t);
            Assert.Equal(new TransferState("alice", "bob", 10, "crediting", 2), state);
            Assert.Contains(timeouts, m => m.MessageId == Assert.Single(pending).Value);
        }

        await AssertHealthyAsync(second);
    }

    /// <summary>
    /// Commands delivered to an entity engine and to a decider, each delivered twice (the first delivery decided and
    /// stored its events, and then failed before the message was removed), store their events once.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Commands_delivered_twice_to_entities_and_deciders_store_their_events_once()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var typed = new TypedEventStore(store, _codec);
        var process = new TransferProcess
        {
            Commands = c => c.Command switch
            {
                Debit { Transfer: "w1" } d => new ProcessCommand(StreamName.For("wallet", d.Transfer), new Add(d.Amount)),
                Debit d => new ProcessCommand(StreamName.For("counter", d.Transfer), new Increment(d.Amount)),
                _ => c,
            },
        };
        var decided = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var added = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);

        // The first host's deliveries do what the routes do, then fail as if the process stopped before removing them.
        await using (var engine = new EntityEngine(store, _codec).Register("wallet", new WalletBehavior()))
        {
            await engine.StartAsync();
            await using var first = new ProcessHost(store, _codec, timeProvider: clock);
            first.Add(Transfers, process, Options);
            first.Routes
                .ToHandler<Add>(async (c, d, ct) =>
                {
                    await engine.SendCommandAsync<Wallet>(d.Target, c, context: ContextOf(d), cancellationToken: ct);
                    added.TrySetResult(d.MessageId);
                    throw new IOException("Lost before the removal.");
                })
                .ToHandler<Increment>(async (c, d, ct) =>
                {
                    await typed.DecideAsync(d.Target, new CounterDecider(), c, new DecideOptions { Context = ContextOf(d) }, ct);
                    decided.TrySetResult(d.MessageId);
                    throw new IOException("Lost before the removal.");
                });
            await first.StartAsync();
            await store.AppendAsync(S("transfer.w1"), ExpectedRevision.Any, _codec.Encode(new TransferRequested("w1", "alice", "bob", 7)));
            await store.AppendAsync(S("transfer.c1"), ExpectedRevision.Any, _codec.Encode(new TransferRequested("c1", "alice", "bob", 7)));
            await Task.WhenAll(added.Task, decided.Task).WaitAsync(Patience);
            await WaitUntilAsync(async () => (await store.ReadDueMessagesAsync(CommandQueue, DateTimeOffset.MaxValue)) is { Count: 2 } failed && failed.All(m => m.FailureCount == 1));
        }

        // A new engine and host: the entity is recovered from its events, and the routes deliver each command again.
        await using var fresh = new EntityEngine(store, _codec).Register("wallet", new WalletBehavior());
        await fresh.StartAsync();
        await using var second = new ProcessHost(store, _codec, timeProvider: clock);
        second.Add(Transfers, process, Options);
        second.Routes.ToEntities(fresh).ToDecider("counter", typed, new CounterDecider());
        await second.StartAsync();
        await AdvanceUntilAsync(clock, async () => (await store.ReadDueMessagesAsync(CommandQueue, DateTimeOffset.MaxValue)).Count == 0);

        var wallet = await ReadStreamAsync(store, S("wallet.w1"));
        var counter = await ReadStreamAsync(store, S("counter.c1"));
        Assert.Equal(["wallet-added"], wallet.Select(e => e.Type));
        Assert.Equal(["counter-incremented"], counter.Select(e => e.Type));
        Assert.Equal(EventIds.Derive(S("wallet.w1"), (await added.Task).ToString(), 0), wallet[0].EventId);
        Assert.Equal(EventIds.Derive(S("counter.c1"), (await decided.Task).ToString(), 0), counter[0].EventId);
        Assert.Equal(new Wallet(7, 1), (await fresh.SendCommandAsync<Wallet>(S("wallet.w1"), new Add(0))).State);
        await AssertHealthyAsync(second);
    }

    /// <summary>An asynchronous process starts, reaches, ends and times out its instances as the synchronous one does.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_async_process_runs_its_instances_as_a_synchronous_one_does()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var inner = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, new AsyncTransferProcess(inner), commands);
        await host.StartAsync();
        await StartTransferAsync(host, store, commands, "done");
        await StartTransferAsync(host, store, commands, "late");
        await AppendAsync(store, "ghost", new Credited("ghost"));
        await AppendAsync(store, "done", new Debited("done"));
        var ended = await AppendAsync(store, "done", new Credited("done"));
        await host.WaitForPositionAsync(Transfers, ended).WaitAsync(Patience);
        Assert.Null(await store.ReadStateAsync(InstanceKey("done")));
        Assert.Equal(new TransferState("alice", "bob", 10, "debiting", 1), (await ReadInstanceAsync(store, "late")).State);
        Assert.Equal("ghost", Assert.Single(inner.NotFound).Context.InstanceId);

        clock.Advance(TimeSpan.FromMinutes(5));
        await AdvanceUntilAsync(clock, commands.WaitForAsync(new Refund("late", 10)));
        await AdvanceUntilAsync(clock, async () => await host.GetStatusAsync(Transfers) is { PendingCommands: 0, PendingTimeouts: 0 });

        Assert.Null(await store.ReadStateAsync(InstanceKey("late")));
        Assert.Equal(
            ["Debit { Transfer = done, Amount = 10 }", "Debit { Transfer = late, Amount = 10 }", "Credit { Transfer = done, Amount = 10 }", "Refund { Transfer = late, Amount = 10 }"],
            commands.All.Select(d => d.Command.ToString()));
        await AssertHealthyAsync(host);
    }

    /// <summary>Several events for one instance in one batch make one write of its state, the state after all of them, and only the timeouts still pending at the end.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Several_events_for_one_instance_in_one_batch_make_one_state_write()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        var head = await AppendAsync(store, "t1", new TransferRequested("t1", "alice", "bob", 10), new Debited("t1"), new ReminderSet("t1", "nudge", 2), new DeadlineMoved("t1", 9));
        var process = new TransferProcess();
        var commands = new CommandLog();
        await using var host = NewHost(store, clock, process, commands);
        await host.StartAsync();
        await host.WaitForPositionAsync(Transfers, head).WaitAsync(Patience);
        await WaitUntilAsync(async () => (await host.GetStatusAsync(Transfers)).PendingCommands == 0);

        var (version, state, pending) = await ReadInstanceAsync(store, "t1");
        Assert.Equal(1, version);
        Assert.Equal(new TransferState("alice", "bob", 10, "crediting", 4), state);
        Assert.Equal(4, process.Handled.Count);
        Assert.Equal(["Debit { Transfer = t1, Amount = 10 }", "Credit { Transfer = t1, Amount = 10 }"], commands.All.Select(d => d.Command.ToString()));
        var timeouts = await store.ReadDueMessagesAsync(TimeoutQueue, DateTimeOffset.MaxValue);
        Assert.Equal(pending.Values.Order(), timeouts.Select(m => m.MessageId).Order());
        Assert.Equal([clock.GetUtcNow().AddMinutes(2), clock.GetUtcNow().AddMinutes(9)], timeouts.Select(m => m.DueAt).Order());
    }

    private ProcessHost NewHost(IEventStore store, TimeProvider clock, TransferProcess process, CommandLog commands, ProcessOptions? options = null)
    {
        var host = new ProcessHost(store, _codec, timeProvider: clock);
        host.Add(Transfers, process, options ?? Options);
        commands.Register(host.Routes);
        return host;
    }

    private ProcessHost NewHost(IEventStore store, TimeProvider clock, IAsyncProcess<TransferState> process, CommandLog commands, ProcessOptions? options = null)
    {
        var host = new ProcessHost(store, _codec, timeProvider: clock);
        host.Add(Transfers, process, options ?? Options);
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

    private static MessageContext ContextOf(CommandDelivery delivery) =>
        new(delivery.MessageId.ToString(), delivery.CorrelationId) { CausationId = delivery.CausationId };

    private static async Task AssertHealthyAsync(ProcessHost host)
    {
        var status = await host.GetStatusAsync(Transfers);
        Assert.Null(status.Events.LastError);
        Assert.NotEqual(ProjectionState.Faulted, status.Events.State);
        Assert.Equal(0, status.Parked);
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

    /// <summary>
    /// Moves the clock a tick at a time until the task completes: whatever waits on the clock (a poll, a back-off) comes
    /// due whenever it started waiting.
    /// </summary>
    private async Task AdvanceUntilAsync(FakeTimeProvider clock, Task done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "What the clock should have brought did not come in time.");
            clock.Advance(Tick);
            await Task.WhenAny(done, Task.Delay(10));
        }

        await done;
    }

    /// <summary>Moves the clock a tick at a time until the condition holds.</summary>
    private async Task AdvanceUntilAsync(FakeTimeProvider clock, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "What the clock should have brought did not come in time.");
            clock.Advance(Tick);
            await Task.Delay(10);
        }
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
