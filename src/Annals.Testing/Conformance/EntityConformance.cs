using System.Diagnostics.Metrics;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;
using Annals.Testing.Conformance.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>The entity engine on a backend: ordered mailboxes, rejection, recovery, snapshots, passivation, durable state, stopping, conflicts between engines, the engine's event stream and metrics.</summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class EntityConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly StreamName Alice = StreamName.Parse("wallet.alice");
    private static readonly StreamName Bob = StreamName.Parse("wallet.bob");

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected EntityConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Commands to one entity are handled in the order sent, each reply carrying the state and revision after it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Commands_to_one_entity_are_handled_in_order_with_state_and_revision()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();

        var replies = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => engine.SendCommandAsync<Wallet>(Alice, new Add(i))));

        Assert.Equal(new Wallet(1275, 50), replies.MaxBy(r => r.Revision)!.State);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long?)i), replies.Select(r => r.Revision).Order());
        var stored = await ReadStreamAsync(store, Alice);
        Assert.Equal(50, stored.Count);
        Assert.All(replies, r => Assert.Equal([new Added(r.State.Balance - (r.Revision == 0 ? 0 : replies.Single(p => p.Revision == r.Revision - 1).State.Balance))], r.Events));
    }

    /// <summary>A rejected command stores nothing, leaves the entity as it was, and fails with the behaviour's exception inside.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_rejected_command_stores_nothing_and_leaves_the_entity_unchanged()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        await engine.SendCommandAsync<Wallet>(Alice, new Add(5));

        var error = await Assert.ThrowsAsync<CommandRejectedException>(() => engine.SendCommandAsync<Wallet>(Alice, new Add(-1)));
        var after = await engine.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal("Entity 'wallet.alice' rejected the command: Cannot add -1.", error.Message);
        Assert.IsType<WalletRejectedException>(error.InnerException);
        Assert.Equal(new Wallet(6, 2), after.State);
        Assert.Equal(2, (await ReadStreamAsync(store, Alice)).Count);
    }

    /// <summary>An event the behaviour cannot fold fails the command before anything is stored, and the entity goes on from its last good state.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_failing_event_handler_stores_nothing_and_never_half_applies()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        await engine.SendCommandAsync<Wallet>(Alice, new Add(5));

        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SendCommandAsync<Wallet>(Alice, new Poison()));
        var after = await engine.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal(new Wallet(6, 2), after.State);
        Assert.Equal(["wallet-added", "wallet-added"], (await ReadStreamAsync(store, Alice)).Select(e => e.Type));
    }

    /// <summary>Another engine on the same store recovers an entity from its events, and from its latest snapshot when there is one.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Entities_recover_from_their_snapshot_and_later_events_in_a_new_engine()
    {
        await using var store = await NewStoreAsync();
        var snapshots = new EntityOptions { Snapshots = SnapshotStrategy.EveryEvents(4) };
        await using (var first = EntityTypes.Engine(store, snapshots))
        {
            await first.StartAsync();
            for (var i = 0; i < 10; i++)
            {
                await first.SendCommandAsync<Wallet>(Alice, new Add(1));
            }
        }

        var snapshot = await store.ReadSnapshotAsync(Alice);
        Assert.Equal(7, snapshot?.Revision);

        // A snapshot that disagrees with the events shows recovery started from it.
        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveSnapshot(Alice, 9, "wallet-state-v1", Text("""{"balance":100,"additions":10}""")));
        await using var second = EntityTypes.Engine(store, snapshots);
        await second.StartAsync();
        var reply = await second.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal(new Wallet(101, 11), reply.State);
        Assert.Equal(10, reply.Revision);
    }

    /// <summary>A snapshot that cannot be read, or of an older state version, is skipped and recovery falls back to events.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_unreadable_or_outdated_snapshot_is_skipped_and_recovery_uses_the_events()
    {
        await using var store = await NewStoreAsync();
        await using (var first = EntityTypes.Engine(store, new EntityOptions { Snapshots = SnapshotStrategy.EveryEvents(2) }))
        {
            await first.StartAsync();
            for (var i = 0; i < 3; i++)
            {
                await first.SendCommandAsync<Wallet>(Alice, new Add(2));
            }
        }

        await using (var newerState = EntityTypes.Engine(store, codec: EntityTypes.Codec(walletVersion: 2)))
        {
            await newerState.StartAsync();
            Assert.Equal(new Wallet(7, 4), (await newerState.SendCommandAsync<Wallet>(Alice, new Add(1))).State);
        }

        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveSnapshot(Alice, 3, "wallet-state-v1", Text("not json")));
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        Assert.Equal(new Wallet(8, 5), (await engine.SendCommandAsync<Wallet>(Alice, new Add(1))).State);
    }

    /// <summary>Snapshot strategies by time and by a custom rule write snapshots with the events that made them due.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Timed_and_custom_snapshot_strategies_write_when_due()
    {
        await using var store = await NewStoreAsync();
        var custom = EntityTypes.Engine(store, new EntityOptions { Snapshots = SnapshotStrategy.When<Wallet>((wallet, _) => wallet.Balance >= 10) });
        await using (custom)
        {
            await custom.StartAsync();
            await custom.SendCommandAsync<Wallet>(Alice, new Add(4));
            Assert.Null(await store.ReadSnapshotAsync(Alice));
            await custom.SendCommandAsync<Wallet>(Alice, new Add(6));
            Assert.Equal(1, (await store.ReadSnapshotAsync(Alice))?.Revision);
        }

        var clock = new FakeTimeProvider();
        await using var timed = EntityTypes.Engine(store, new EntityOptions { Snapshots = SnapshotStrategy.Every(TimeSpan.FromMilliseconds(100)) }, clock: clock);
        await timed.StartAsync();
        await timed.SendCommandAsync<Wallet>(Bob, new Add(1));
        Assert.Null(await store.ReadSnapshotAsync(Bob));
        clock.Advance(TimeSpan.FromMilliseconds(150));
        await timed.SendCommandAsync<Wallet>(Bob, new Add(1));
        Assert.Equal(1, (await store.ReadSnapshotAsync(Bob))?.Revision);
    }

    /// <summary>Idle entities are released and come back transparently on their next command.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Idle_entities_are_passivated_and_recovered_on_their_next_command()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store, new EntityOptions { IdleTimeout = TimeSpan.FromMilliseconds(50) });
        await engine.StartAsync();
        for (var i = 0; i < 20; i++)
        {
            await engine.SendCommandAsync<Wallet>(StreamName.For("wallet", $"w{i}"), new Add(i + 1));
        }

        await WaitUntilAsync(() => engine.LiveEntities == 0);
        var reply = await engine.SendCommandAsync<Wallet>(StreamName.Parse("wallet.w7"), new Add(100));

        Assert.Equal(new Wallet(108, 2), reply.State);
        Assert.Equal(1, reply.Revision);
    }

    /// <summary>A durable-state entity stores only its latest state, each save one version after the last; a wrong version stores nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Durable_state_entities_save_each_version_once_and_refuse_a_wrong_one()
    {
        await using var store = await NewStoreAsync();
        var tally = StreamName.Parse("tally.1");
        await using (var engine = EntityTypes.Engine(store))
        {
            await engine.StartAsync();
            Assert.Equal(1, (await engine.SendCommandAsync<Tally>(tally, new Bump(2))).Revision);
            Assert.Equal(new Tally(5), (await engine.SendCommandAsync<Tally>(tally, new Bump(3))).State);
            Assert.Equal(2, (await engine.SendCommandAsync<Tally>(tally, new Bump(0))).Revision);

            var wrong = await Assert.ThrowsAsync<InvalidStateVersionException>(() => engine.SendCommandAsync<Tally>(tally, new Bump(1, ForceVersion: 7)));
            Assert.Equal("Entity 'tally.1' is at version 2; its new state must have version 3, not 7. Nothing was stored.", wrong.Message);
            await Assert.ThrowsAsync<CommandRejectedException>(() => engine.SendCommandAsync<Tally>(tally, new Bump(-1)));
        }

        Assert.Equal(2, (await store.ReadStateAsync(tally))?.Version);
        await using var again = EntityTypes.Engine(store);
        await again.StartAsync();
        var reply = await again.SendCommandAsync<Tally>(tally, new Bump(1));
        Assert.Equal((new Tally(6), 3L), (reply.State, reply.Revision!.Value));
    }

    /// <summary>Two engines on one store hammering the same entities: every acknowledged command counts exactly once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Two_engines_on_one_store_count_every_acknowledged_command_once()
    {
        await using var store = await NewStoreAsync();
        await using var one = EntityTypes.Engine(store);
        await using var two = EntityTypes.Engine(store);
        await one.StartAsync();
        await two.StartAsync();
        var tally = StreamName.Parse("tally.shared");
        var acknowledged = new int[2];
        var conflicts = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(async sender =>
        {
            var engine = sender % 2 == 0 ? one : two;
            for (var i = 0; i < 25; i++)
            {
                try
                {
                    await engine.SendCommandAsync<Wallet>(Alice, new Add(1));
                    Interlocked.Increment(ref acknowledged[0]);
                }
                catch (EntityConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }

                try
                {
                    await engine.SendCommandAsync<Tally>(tally, new Bump(1));
                    Interlocked.Increment(ref acknowledged[1]);
                }
                catch (EntityConflictException)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        }));

        await using var reader = EntityTypes.Engine(store);
        await reader.StartAsync();
        Assert.Equal(acknowledged[0], (await reader.SendCommandAsync<Wallet>(Alice, new Add(0))).State.Balance);
        Assert.Equal(acknowledged[1], (await reader.SendCommandAsync<Tally>(tally, new Bump(0))).State.Total);
        Assert.Equal(400, acknowledged[0] + acknowledged[1] + conflicts);
    }

    /// <summary>One entity's slow command does not hold up another entity; a sender that waits too long gets a typed timeout and the queued command is dropped.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Entities_run_in_parallel_and_a_late_reply_is_a_typed_timeout()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        using var gate = new SemaphoreSlim(0);

        var held = engine.SendCommandAsync<Wallet>(Alice, new Hold(gate));
        var other = await engine.SendCommandAsync<Wallet>(Bob, new Add(3));
        var late = await Assert.ThrowsAsync<CommandTimeoutException>(() => engine.SendCommandAsync<Wallet>(Alice, new Add(1000), TimeSpan.FromMilliseconds(100)));
        gate.Release();
        await held;
        var after = await engine.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal(3, other.State.Balance);
        Assert.Equal(Alice, late.Entity);
        Assert.Equal(new Wallet(1, 1), after.State);
    }

    /// <summary>A command sent again with its context gets the first reply, and its events are stored once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_sent_again_with_its_context_gets_the_first_reply_and_is_stored_once()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        var context = new MessageContext("deposit-1");

        var first = await engine.SendCommandAsync<Wallet>(Alice, new Add(50), context: context);
        var again = await engine.SendCommandAsync<Wallet>(Alice, new Add(50), context: context);
        var next = await engine.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal((new Wallet(50, 1), 0L), (again.State, again.Revision!.Value));
        Assert.Equal(first.Events, again.Events);
        Assert.Equal(new Wallet(51, 2), next.State);
        var stored = await ReadStreamAsync(store, Alice);
        Assert.Equal(2, stored.Count);
        Assert.Equal(EventIds.Derive(Alice, "deposit-1", 0), stored[0].EventId);
    }

    /// <summary>A command sent again that the entity's state now would reject still gets the first reply: the entity remembers it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_sent_again_that_the_state_now_would_reject_gets_the_first_reply()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        await engine.SendCommandAsync<Wallet>(Alice, new Add(100));
        var context = new MessageContext("withdrawal-1");

        var first = await engine.SendCommandAsync<Wallet>(Alice, new Take(60), context: context);
        var again = await engine.SendCommandAsync<Wallet>(Alice, new Take(60), context: context);
        var another = await Assert.ThrowsAsync<CommandRejectedException>(() => engine.SendCommandAsync<Wallet>(Alice, new Take(60), context: new MessageContext("withdrawal-2")));

        Assert.Equal((new Wallet(40, 1), 1L), (again.State, again.Revision!.Value));
        Assert.Equal([new Taken(60)], again.Events);
        Assert.Equal(first.Events, again.Events);
        Assert.Equal("Cannot take 60 of 40.", another.InnerException?.Message);
        Assert.Equal(["wallet-added", "wallet-taken"], (await ReadStreamAsync(store, Alice)).Select(e => e.Type));
    }

    /// <summary>A command stored after its sender timed out, sent again with its context, gets the first result and is stored once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_stored_after_its_sender_timed_out_is_stored_once_when_sent_again()
    {
        await using var store = await NewStoreAsync();
        var clock = new FakeTimeProvider();
        await using var engine = EntityTypes.Engine(store, clock: clock);
        await engine.StartAsync();
        var context = new MessageContext("deposit-1");
        using var deciding = new SemaphoreSlim(0);
        using var gate = new SemaphoreSlim(0);
        using var patience = new CancellationTokenSource(Patience);
        var command = new AddWhenOpened(deciding, gate, 50);

        var original = engine.SendCommandAsync<Wallet>(Alice, command, TimeSpan.FromSeconds(5), context);
        await deciding.WaitAsync(patience.Token);
        clock.Advance(TimeSpan.FromSeconds(5));
        var late = await Assert.ThrowsAsync<CommandTimeoutException>(() => original);

        // Opened for the first send and, should the entity decide the resend too, for it: the store still stores it once.
        gate.Release(2);
        var again = await engine.SendCommandAsync<Wallet>(Alice, command, TimeSpan.FromSeconds(5), context).WaitAsync(patience.Token);

        Assert.Equal(Alice, late.Entity);
        Assert.Equal((new Wallet(50, 1), 0L), (again.State, again.Revision!.Value));
        Assert.Equal([new Added(50)], again.Events);
        Assert.Single(await ReadStreamAsync(store, Alice));
    }

    /// <summary>Another engine given a command sent again stores nothing twice, replies with the first append's revision and events, and holds the stream's state, not one with the events folded twice.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Another_engine_given_a_command_sent_again_stores_it_once_and_holds_the_stream_state()
    {
        await using var store = await NewStoreAsync();
        var context = new MessageContext("deposit-1");
        await using var first = EntityTypes.Engine(store);
        await first.StartAsync();
        var original = await first.SendCommandAsync<Wallet>(Alice, new Add(50), context: context);
        await first.SendCommandAsync<Wallet>(Alice, new Add(7));

        await using var second = EntityTypes.Engine(store);
        await second.StartAsync();
        var again = await second.SendCommandAsync<Wallet>(Alice, new Add(50), context: context);
        var next = await second.SendCommandAsync<Wallet>(Alice, new Add(1));

        Assert.Equal(original.Revision, again.Revision);
        Assert.Equal([new Added(50)], again.Events);
        Assert.Equal(new Wallet(57, 2), again.State);
        Assert.Equal((new Wallet(58, 3), 2L), (next.State, next.Revision!.Value));
        Assert.Equal(["""{"amount":50}""", """{"amount":7}""", """{"amount":1}"""], (await ReadStreamAsync(store, Alice)).Select(e => e.DataAsText()));
    }

    /// <summary>A full mailbox makes senders wait for room instead of queueing without bound.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_full_mailbox_makes_senders_wait()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store, new EntityOptions { MailboxCapacity = 1 });
        await engine.StartAsync();
        using var deciding = new SemaphoreSlim(0);
        using var gate = new SemaphoreSlim(0);

        // Once the first command is being decided, the mailbox of one is empty: one more fits, the next waits.
        var held = engine.SendCommandAsync<Wallet>(Alice, new AddWhenOpened(deciding, gate, 1));
        Assert.True(await deciding.WaitAsync(Patience), "The first command was not decided in time.");
        var queued = engine.SendCommandAsync<Wallet>(Alice, new Add(1));
        await Assert.ThrowsAsync<CommandTimeoutException>(() => engine.SendCommandAsync<Wallet>(Alice, new Add(1000), TimeSpan.FromMilliseconds(100)));
        gate.Release();

        Assert.Equal(new Wallet(1, 1), (await held).State);
        Assert.Equal(new Wallet(2, 2), (await queued).State);
        Assert.Equal(new Wallet(3, 3), (await engine.SendCommandAsync<Wallet>(Alice, new Add(1))).State);
    }

    /// <summary>Commands before start and after stop fail with typed errors; stopping finishes queued commands, and everything acknowledged is stored.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Stopping_finishes_queued_commands_and_refuses_new_ones()
    {
        await using var store = await NewStoreAsync();
        var engine = EntityTypes.Engine(store);
        await Assert.ThrowsAsync<EngineNotStartedException>(() => engine.SendCommandAsync<Wallet>(Alice, new Add(1)));
        await engine.StartAsync();

        var sent = Enumerable.Range(0, 40).Select(i => engine.SendCommandAsync<Wallet>(i % 2 == 0 ? Alice : Bob, new Add(1))).ToList();
        await engine.StopAsync();
        var outcomes = await Task.WhenAll(sent.Select(async s =>
        {
            try
            {
                await s;
                return true;
            }
            catch (EngineStoppedException)
            {
                return false;
            }
        }));

        await Assert.ThrowsAsync<EngineStoppedException>(() => engine.SendCommandAsync<Wallet>(Alice, new Add(1)));
        await engine.DisposeAsync();
        var stored = (await ReadStreamAsync(store, Alice)).Count + (await ReadStreamAsync(store, Bob)).Count;
        Assert.Equal(outcomes.Count(ok => ok), stored);
        Assert.Equal(40, stored);
    }

    /// <summary>In-process subscribers see each committed event after its commit, with its revision and position.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task The_engine_event_stream_publishes_committed_events_with_their_positions()
    {
        await using var store = await NewStoreAsync();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<EngineEvent>();
        var events = engine.SubscribeAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        // The first MoveNextAsync registers the subscriber before it waits: every commit after this call is delivered.
        var first = events.MoveNextAsync();
        var subscription = Task.Run(async () =>
        {
            await using (events)
            {
                for (var next = first; await next; next = events.MoveNextAsync())
                {
                    received.Add(events.Current);
                    if (received.Count == 5)
                    {
                        return;
                    }
                }
            }
        });

        for (var i = 1; i <= 5; i++)
        {
            await engine.SendCommandAsync<Wallet>(i % 2 == 0 ? Alice : Bob, new Add(i));
        }

        await subscription.WaitAsync(timeout.Token);
        var stored = await ReadAllAsync(store);
        Assert.Equal(stored.Select(e => (e.Stream, e.Revision, e.Position)), received.Select(e => (e.Entity, e.Revision, e.Position)));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => new Added(i)), received.Select(e => e.Event));
    }

    /// <summary>The engine reports commands by outcome, live entities, recoveries and snapshots on the <c>Annals.Entities</c> meter.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task The_engine_reports_its_metrics()
    {
        await using var store = await NewStoreAsync();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var commands = new MetricCollector<long>(meters, "Annals.Entities", "annals.entity.commands");
        using var durations = new MetricCollector<double>(meters, "Annals.Entities", "annals.entity.command.duration");
        using var recoveries = new MetricCollector<long>(meters, "Annals.Entities", "annals.entity.recoveries");
        using var snapshots = new MetricCollector<long>(meters, "Annals.Entities", "annals.entity.snapshots");
        using var live = new MetricCollector<long>(meters, "Annals.Entities", "annals.entity.live");
        await using (var engine = EntityTypes.Engine(store, new EntityOptions { Snapshots = SnapshotStrategy.EveryEvents(2) }, meters: meters))
        {
            await engine.StartAsync();
            await engine.SendCommandAsync<Wallet>(Alice, new Add(1));
            await engine.SendCommandAsync<Wallet>(Alice, new Add(1));
            await engine.SendCommandAsync<Wallet>(Bob, new Add(1));
            await Assert.ThrowsAsync<CommandRejectedException>(() => engine.SendCommandAsync<Wallet>(Bob, new Add(-1)));
        }

        Assert.Equal(3, commands.GetMeasurementSnapshot().Count(m => m.Value == 1 && m.ContainsTags(new KeyValuePair<string, object?>("outcome", "handled"))));
        Assert.Equal(1, commands.GetMeasurementSnapshot().Count(m => m.Value == 1 && m.ContainsTags(new KeyValuePair<string, object?>("outcome", "rejected"))));
        Assert.Equal(4, commands.GetMeasurementSnapshot().Count);
        Assert.Equal(4, durations.GetMeasurementSnapshot().Count);
        Assert.Equal(2, recoveries.GetMeasurementSnapshot().Count);
        Assert.Single(snapshots.GetMeasurementSnapshot());
        Assert.Equal(0, live.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(2, live.GetMeasurementSnapshot().Count(m => m.Value > 0));
    }

    private async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }
}
