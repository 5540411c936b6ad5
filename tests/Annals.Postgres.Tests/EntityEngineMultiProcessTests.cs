using System.Collections.Concurrent;
using Annals.Deciders;
using Annals.Entities;
using Annals.Storage;
using Annals.TestWorker;
using Annals.TestWorker.Entities;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Two worker processes and this one each host an entity engine on one schema, with no cluster between them, and add
/// to the same counters at once. Only the store's expectations keep them consistent: a command that loses a race is
/// decided again on the reloaded counter, and after a second loss it fails with <see cref="EntityConflictException"/>
/// having stored nothing. So every counter ends as the sum of exactly the acknowledged commands, each one event at the
/// revision its sender was told.
/// </summary>
public sealed class EntityEngineMultiProcessTests(ITestOutputHelper output)
{
    private const int Workers = 2;
    private const int SendersPerEngine = 4;
    private const int CommandsPerSender = 300;
    private const int Counters = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Engines_in_several_processes_count_exactly_the_acknowledged_commands()
    {
        var schema = PostgresFixture.NewSchema();
        // Opened first, so the schema exists before the workers race to open it.
        await using var store = await PostgresFixture.OpenAsync(schema);
        await using var engine = CounterDomain.Engine(store);
        await engine.StartAsync();
        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < Workers; i++)
            {
                workers.Add(WorkerProcess.Start($"entity worker {i}", "entities", [PostgresFixture.ConnectionString, schema, SendersPerEngine, CommandsPerSender, Counters]));
            }

            foreach (var worker in workers)
            {
                await worker.WaitUntilReadyAsync(Patience);
            }

            workers.ForEach(w => w.Send("GO"));
            var inProcess = new ConcurrentQueue<CommandOutcome>();
            var sending = CounterSenders.RunAsync(engine, SendersPerEngine, CommandsPerSender, Counters, Environment.ProcessId, inProcess.Enqueue);
            var byEngine = new List<(string Name, List<CommandOutcome> Outcomes)>();
            foreach (var worker in workers)
            {
                byEngine.Add(($"worker {worker.Id}", [.. (await worker.FinishAsync(Patience)).Select(CommandOutcome.Parse).OfType<CommandOutcome>()]));
            }

            await sending.WaitAsync(Patience);
            byEngine.Add(("this process", [.. inProcess]));

            Report(byEngine);
            foreach (var (name, outcomes) in byEngine)
            {
                Assert.True(outcomes.Count == SendersPerEngine * CommandsPerSender, $"The engine of {name} reported {outcomes.Count} outcomes of {SendersPerEngine * CommandsPerSender} commands.");
                Assert.True(outcomes.Any(o => o.Acknowledged), $"The engine of {name} had no command acknowledged: {outcomes.Count} conflicts.");
            }

            await using var reader = CounterDomain.Engine(store);
            await reader.StartAsync();
            for (var i = 0; i < Counters; i++)
            {
                var entity = CounterDomain.Entity(i);
                await AssertCounterHoldsExactlyTheAcknowledgedAsync(store, reader, entity, [.. byEngine.SelectMany(e => e.Outcomes).Where(o => o.Acknowledged && o.Entity == entity)]);
            }

            AssertEnginesRaced(byEngine);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>
    /// The stream holds one event per acknowledged command, at the revision its sender was told and with its amount,
    /// and nothing else: no conflicted command left an event. A fresh engine recovers the sum of exactly those.
    /// </summary>
    private static async Task AssertCounterHoldsExactlyTheAcknowledgedAsync(IEventStore store, EntityEngine reader, StreamName entity, List<CommandOutcome> acknowledged)
    {
        var repeated = acknowledged.GroupBy(o => o.Revision).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"{entity}: revisions acknowledged to more than one command: {string.Join(", ", repeated)}.");

        var stored = await new TypedEventStore(store, CounterDomain.Codec()).ReadStreamAsync(entity).ToListAsync();
        Assert.True(stored.Count == acknowledged.Count, $"{entity} has {stored.Count} events for {acknowledged.Count} acknowledged commands.");
        Assert.Equal(
            acknowledged.OrderBy(o => o.Revision).Select(o => (o.Revision!.Value, o.Amount)),
            stored.Select(e => (e.Record.Revision, ((Added)e.Data).Amount)));

        var recovered = await reader.SendCommandAsync<Counter>(entity, new Add(0));
        Assert.Equal(new Counter(acknowledged.Sum(o => (long)o.Amount), acknowledged.Count), recovered.State);
        Assert.Equal(acknowledged.Count - 1, recovered.Revision);
    }

    /// <summary>
    /// Without commits of different engines between each other's on one counter, the test would prove nothing about
    /// engines racing. A counter that passed from one engine to another and back, each time from one revision to the
    /// next, had their commits interleaved.
    /// </summary>
    private static void AssertEnginesRaced(List<(string Name, List<CommandOutcome> Outcomes)> byEngine)
    {
        var switches = Switches(byEngine);
        for (var i = 0; i < byEngine.Count; i++)
        {
            for (var j = i + 1; j < byEngine.Count; j++)
            {
                var (one, other) = (byEngine[i].Name, byEngine[j].Name);
                Assert.True(
                    Enumerable.Range(0, Counters).Select(CounterDomain.Entity).Any(entity => switches.Contains((entity, one, other)) && switches.Contains((entity, other, one))),
                    $"The engines of {one} and {other} never committed to a counter between each other's commits.");
            }
        }
    }

    /// <summary>Says how often each engine won and lost, and how often the writer of a counter changed from one revision to the next.</summary>
    private void Report(List<(string Name, List<CommandOutcome> Outcomes)> byEngine)
    {
        foreach (var (name, outcomes) in byEngine)
        {
            output.WriteLine($"{name}: {outcomes.Count(o => o.Acknowledged)} acknowledged, {outcomes.Count(o => !o.Acknowledged)} conflicts");
        }

        var switches = Switches(byEngine);
        output.WriteLine($"the writer of a counter changed {switches.Count} times between consecutive revisions: {string.Join(", ", switches.CountBy(s => $"{s.From} → {s.To}").Select(c => $"{c.Key} {c.Value}"))}");
    }

    /// <summary>Each time the writer of a counter changed from one acknowledged revision to the next: the counter, the engine before and the one after.</summary>
    private static List<(StreamName Entity, string From, string To)> Switches(List<(string Name, List<CommandOutcome> Outcomes)> byEngine) =>
    [
        .. byEngine
            .SelectMany(e => e.Outcomes.Where(o => o.Acknowledged).Select(o => (e.Name, o.Entity, Revision: o.Revision!.Value)))
            .GroupBy(w => w.Entity)
            .SelectMany(g => g.OrderBy(w => w.Revision).Zip(g.OrderBy(w => w.Revision).Skip(1)))
            .Where(p => p.First.Name != p.Second.Name)
            .Select(p => (p.First.Entity, p.First.Name, p.Second.Name)),
    ];
}
