using System.Collections.Concurrent;
using System.Diagnostics;
using Annals.Deciders;
using Annals.Entities;
using Annals.Orleans.TestSilo;
using Annals.Postgres;
using Annals.Serialization;
using Annals.Storage;
using Orleans.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>
/// Two silos, each an operating-system process, clustered on PostgreSQL through Orleans' ADO.NET provider, host the
/// counters of one Annals store; a client in this process finds them through the same database. One silo is killed
/// with SIGKILL under load: the other takes its entities over, and no acknowledged command is lost or stored twice.
/// </summary>
public sealed class PostgresClusteringProcessTests(ITestOutputHelper output)
{
    private const int Entities = 32;
    private const int Writers = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_silo_processes_share_the_entities_and_when_one_is_killed_the_other_takes_them_over_losing_and_repeating_no_acknowledged_command()
    {
        var clock = Stopwatch.StartNew();
        var schema = PostgresServer.NewSchema();
        var clustering = await ClusteringSchema.CreateAsync();
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        // Opened here first, so the store's schema exists before the silos open it at once.
        await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = PostgresServer.ConnectionString, Schema = schema });
        var ports = FreePorts.Take(4);
        using var survivor = SiloProcess.Start("silo A", new SiloArguments(PostgresServer.ConnectionString, schema, clustering, clusterId, ports[0], ports[1]));
        using var victim = SiloProcess.Start("silo B", new SiloArguments(PostgresServer.ConnectionString, schema, clustering, clusterId, ports[2], ports[3]));
        await Task.WhenAll(survivor.WaitUntilReadyAsync(Patience), victim.WaitUntilReadyAsync(Patience));
        output.WriteLine($"both silos joined after {clock.Elapsed.TotalSeconds:F1} s");

        // The two started at once on an empty schema: one of them created Orleans' tables, the other found them.
        Assert.Single(new[] { survivor, victim }, s => s.Log.Any(l => l.Contains("Created Orleans' clustering tables", StringComparison.Ordinal)));

        await using var client = await EntityClient.StartAsync(c => c.UseAnnalsPostgresClustering(clustering), clusterId);
        var sender = client.Sender;
        var acknowledged = new ConcurrentDictionary<(string Entity, string Writer, int Seq), byte>();
        var causes = new ConcurrentDictionary<string, int>();

        // One command to each counter, all at once, each acknowledged (sent again only if the first activations were slow).
        await Task.WhenAll(Enumerable.Range(0, Entities).Select(async i =>
        {
            var (reply, _) = await SendUntilAcknowledgedAsync(sender, Entity(i), new Count("first", i), causes);
            Assert.Equal(new CounterState(1), reply.State);
            acknowledged[(Entity(i).Value, "first", i)] = 0;
        })).WaitAsync(Patience);
        var (onSurvivor, onVictim) = (await survivor.LiveEntitiesAsync(Patience), await victim.LiveEntitiesAsync(Patience));
        output.WriteLine($"entities held before the kill: silo A {onSurvivor}, silo B {onVictim}");
        Assert.Equal(Entities, onSurvivor + onVictim);
        Assert.True(onSurvivor > 0 && onVictim > 0, $"One silo hosts every entity: silo A {onSurvivor}, silo B {onVictim}.");

        // Writers keep sending to every counter while silo B is killed.
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var afterKill = new ConcurrentDictionary<string, byte>();
        var retries = 0;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var seq = 0; !stop.IsCancellationRequested; seq++)
            {
                var entity = Entity((w + (seq * Writers)) % Entities);
                var sentAfterKill = killed.Task.IsCompleted;
                var (_, again) = await SendUntilAcknowledgedAsync(sender, entity, new Count($"w{w}", seq), causes);
                Interlocked.Add(ref retries, again);
                acknowledged[(entity.Value, $"w{w}", seq)] = 0;
                if (sentAfterKill)
                {
                    afterKill[entity.Value] = 0;
                }
            }
        })).ToList();

        await WaitUntilAsync(() => acknowledged.Count >= Entities + 200, load, "200 commands before the kill");
        var acknowledgedAtKill = acknowledged.Count;
        var killedAt = clock.Elapsed;
        await victim.KillAsync();
        killed.TrySetResult();

        // Every counter answers again, through the survivor, and the load goes on past them.
        await WaitUntilAsync(() => afterKill.Count == Entities && acknowledged.Count >= acknowledgedAtKill + 400, load, "every counter acknowledging a command sent after the kill");
        output.WriteLine($"every counter answered again {(clock.Elapsed - killedAt).TotalSeconds:F1} s after the kill; {acknowledged.Count - acknowledgedAtKill} commands acknowledged since, {retries} sends repeated");
        output.WriteLine($"sent again after: {string.Join(", ", causes.Select(c => $"{c.Key} {c.Value}"))}");
        await stop.CancelAsync();
        await Task.WhenAll(load).WaitAsync(Patience);

        Assert.Equal(Entities, await survivor.LiveEntitiesAsync(Patience));

        var codec = new EventCodec(new TypeRegistry());
        Counter.Register(codec.Registry);
        var typed = new TypedEventStore(store, codec);
        var stored = new List<(string Entity, string Writer, int Seq)>();
        for (var i = 0; i < Entities; i++)
        {
            await foreach (var e in typed.ReadStreamAsync(Entity(i)))
            {
                var counted = (Counted)e.Data;
                stored.Add((Entity(i).Value, counted.Writer, counted.Seq));
            }
        }

        output.WriteLine($"{stored.Count} events stored for {acknowledged.Count} acknowledged commands in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.Equal(acknowledged.Keys.Order(), stored.Order());
    }

    private static StreamName Entity(int i) => StreamName.For(Counter.Category, $"c{i}");

    /// <summary>
    /// Sends a command until it is acknowledged, again with the same message context after each outcome left unknown by
    /// the silo's death, so that it is stored once however often it is sent; for the test's patience at most.
    /// </summary>
    /// <returns>The reply, and how many times the command was sent again.</returns>
    private static async Task<(EntityReply<CounterState> Reply, int Again)> SendUntilAcknowledgedAsync(ICommandSender sender, StreamName entity, Count command, ConcurrentDictionary<string, int> causes)
    {
        var context = MessageContext.New();
        var deadline = Stopwatch.StartNew();
        for (var again = 0; ; again++)
        {
            try
            {
                return (await sender.SendCommandAsync<CounterState>(entity, command, TimeSpan.FromSeconds(10), context), again);
            }
            catch (Exception e) when (e is EntityUnavailableException or CommandTimeoutException && deadline.Elapsed < Patience)
            {
                causes.AddOrUpdate($"{e.GetType().Name} ({e.InnerException?.GetType().Name ?? "no inner error"})", 1, (_, n) => n + 1);
                // Until the survivor declares the killed silo dead, its grains' calls fail at once: not in a tight loop.
                await Task.Delay(100);
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, List<Task> load, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (load.FirstOrDefault(t => t.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.True(waited.Elapsed < Patience, $"No {what} within {Patience}.");
            await Task.Delay(20);
        }
    }
}
