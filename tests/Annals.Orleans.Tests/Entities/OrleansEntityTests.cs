using System.Collections.Concurrent;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.Entities;

/// <summary>Annals entities hosted as grains on three in-process silos over one PostgreSQL store.</summary>
public sealed class OrleansEntityTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_command_reaches_its_entity_through_any_silo_and_replies_with_state_revision_and_events()
    {
        await using var cluster = await EntityCluster.StartAsync(3);
        var senders = cluster.Senders();
        Assert.All(senders, s => Assert.IsType<OrleansCommandSender>(s));
        var entity = StreamName.For(TallyEntity.Category, "one");

        var first = await senders[0].SendCommandAsync<TallyState>(entity, new Tally("a", 1));
        var second = await senders[2].SendCommandAsync<TallyState>(entity, new Tally("b", 1));

        Assert.Equal(new TallyState(1), first.State);
        Assert.Equal(0, first.Revision);
        Assert.Equal(new TallyState(2), second.State);
        Assert.Equal(1, second.Revision);
        Assert.Equal([new Tallied("b", 1)], second.Events);
        Assert.Equal(2, await cluster.Store().ReadStreamAsync(entity).CountAsync());
    }

    [Fact]
    public async Task A_durable_state_entity_counts_commands_from_every_silo_in_one_activation()
    {
        await using var cluster = await EntityCluster.StartAsync(2);
        var senders = cluster.Senders();
        var entity = StreamName.For(TallyMeter.Category, "m1");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => senders[i % 2].SendCommandAsync<TallyState>(entity, new Tally("m", i), Patience)));
        var last = await senders[1].SendCommandAsync<TallyState>(entity, new Tally("m", 20));

        Assert.Equal(new TallyState(21), last.State);
        Assert.Equal(21, last.Revision);
        Assert.Empty(last.Events);
        var stored = await cluster.Store().ReadStateAsync(entity);
        Assert.Equal(21, stored!.Version);
    }

    [Fact]
    public async Task A_rejected_command_fails_with_the_typed_error_carrying_its_reason_and_stores_nothing()
    {
        await using var cluster = await EntityCluster.StartAsync(2);
        var entity = StreamName.For(TallyEntity.Category, "refusing");

        var error = await Assert.ThrowsAsync<CommandRejectedException>(() => cluster.Senders()[1].SendCommandAsync<TallyState>(entity, new Refuse("closed for the day")));

        Assert.Equal(entity, error.Entity);
        var reason = Assert.IsType<RemoteReasonException>(error.InnerException);
        Assert.Equal(typeof(InvalidOperationException).FullName, reason.ReasonType);
        Assert.Equal("closed for the day", reason.Message);
        Assert.Empty(await cluster.Store().ReadStreamAsync(entity).ToListAsync());
    }

    [Fact]
    public async Task A_command_for_a_category_no_silo_registers_fails_with_an_argument_error()
    {
        await using var cluster = await EntityCluster.StartAsync(1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => cluster.Senders()[0].SendCommandAsync<TallyState>(StreamName.For("unknown", "1"), new Tally("a", 1)));

        Assert.Contains("unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sixty_four_clients_through_three_silos_to_one_entity_are_each_counted_once_and_none_conflicts()
    {
        const int clients = 64, perClient = 5;
        await using var cluster = await EntityCluster.StartAsync(3);
        var senders = cluster.Senders();
        var entity = StreamName.For(TallyEntity.Category, "hot");
        var failures = new ConcurrentBag<Exception>();

        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var sender = senders[c % senders.Count];
            for (var seq = 0; seq < perClient; seq++)
            {
                try
                {
                    await sender.SendCommandAsync<TallyState>(entity, new Tally($"c{c}", seq), Patience);
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }
            }
        })));

        Assert.Empty(failures);

        // One owner: the entity is in the memory of one silo's engine only.
        Assert.Equal([0, 0, 1], cluster.LiveEntities().Order());
        var stored = await cluster.Store().ReadStreamAsync(entity).ToListAsync();
        var tallies = stored.Select(e => System.Text.Json.JsonSerializer.Deserialize<Tallied>(e.Data.Span, Json.Web)!).ToList();
        Assert.Equal(clients * perClient, tallies.Count);
        Assert.Equal(clients * perClient, tallies.Distinct().Count());
        var last = await senders[0].SendCommandAsync<TallyState>(entity, new Tally("last", 0));
        Assert.Equal(clients * perClient + 1, last.State.Count);
    }

    [Fact]
    public async Task A_silo_killed_under_load_loses_no_acknowledged_command_and_stores_none_twice()
    {
        const int entities = 12, writers = 6;
        await using var cluster = await EntityCluster.StartAsync(3);
        var all = cluster.Senders();
        var survivors = all.Take(2).ToList();

        // An entity activates on the silo that first sends to it: half of them on the silo to kill.
        for (var i = 0; i < entities; i++)
        {
            await all[i % 2 == 0 ? 2 : i % 4 == 1 ? 0 : 1].SendCommandAsync<TallyState>(StreamName.For(TallyEntity.Category, $"e{i}"), new Tally("warm", i));
        }

        var acknowledged = new ConcurrentDictionary<(string Entity, string Sender, int Seq), byte>();
        using var stop = new CancellationTokenSource();
        var half = new TaskCompletionSource();

        var load = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var sender = survivors[w % survivors.Count];
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var entity = StreamName.For(TallyEntity.Category, $"e{(w + seq) % entities}");
                var context = MessageContext.New();
                using var deadline = new CancellationTokenSource(Patience);
                while (true)
                {
                    try
                    {
                        await sender.SendCommandAsync<TallyState>(entity, new Tally($"w{w}", seq), TimeSpan.FromSeconds(10), context, deadline.Token);
                        break;
                    }
                    catch (Exception e) when (e is EntityUnavailableException or CommandTimeoutException or EngineStoppedException)
                    {
                        // The outcome is unknown: the same command again, with the same context, is stored at most once.
                    }
                }

                acknowledged[(entity.Value, $"w{w}", seq)] = 0;
                if (acknowledged.Count >= 120)
                {
                    half.TrySetResult();
                }
            }
        })).ToList();

        await half.Task.WaitAsync(Patience);
        Assert.True(cluster.LiveEntities()[2] > 0, "the silo to kill owns none of the entities");
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[2]);
        var killedAt = acknowledged.Count;
        while (acknowledged.Count < killedAt + 120)
        {
            await Task.Delay(20);
            Assert.True(load.All(t => !t.IsFaulted), "a writer failed");
        }

        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(Patience);

        var stored = new List<(string Entity, string Sender, int Seq)>();
        for (var i = 0; i < entities; i++)
        {
            var entity = StreamName.For(TallyEntity.Category, $"e{i}");
            await foreach (var e in cluster.Store().ReadStreamAsync(entity))
            {
                var tallied = System.Text.Json.JsonSerializer.Deserialize<Tallied>(e.Data.Span, Json.Web)!;
                stored.Add((entity.Value, tallied.Sender, tallied.Seq));
            }
        }

        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(acknowledged.Keys.OrderBy(k => k), stored.Where(k => k.Sender != "warm").OrderBy(k => k));
    }
}
