using System.Text;
using Annals.Storage;
using Annals.TestWorker;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Two worker processes and this one append at once to the same streams of one schema, while two
/// subscriptions and a polling reader follow the log. Whatever they race, a reader never sees a
/// position go backwards or repeat, never misses an event below a position it has seen, and every
/// acknowledged commit is in the log once, where its writer was told it is.
/// </summary>
public sealed class MultiProcessOrderingTests
{
    private const int Workers = 2;
    private const int WritersPerWorker = 4;
    private const int InProcessWriters = 4;
    private const int CommitsPerWriter = 120;
    private const int Streams = 6;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly EventFilter Shipped = EventFilter.Parse("ord.*.Shipped");

    [Fact]
    public async Task Readers_see_every_commit_of_every_process_once_in_position_order()
    {
        var schema = PostgresFixture.NewSchema();
        await using var writerStore = await PostgresFixture.OpenAsync(schema);
        // No polling within the test's time: the readers' store learns of the workers' commits only
        // by their notifications.
        await using var readerStore = await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
        var all = LogObserver.Subscribe(readerStore, "the unfiltered subscription");
        var shipped = LogObserver.Subscribe(readerStore, "the subscription to ord.*.Shipped", Shipped);
        var poller = LogObserver.Poll(readerStore, "the polling reader");
        var workers = new List<WorkerProcess>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            for (var i = 0; i < Workers; i++)
            {
                workers.Add(WorkerProcess.Start($"appending worker {i}", "append", [PostgresFixture.ConnectionString, schema, WritersPerWorker, CommitsPerWriter, Streams]));
            }

            foreach (var worker in workers)
            {
                await worker.WaitUntilReadyAsync(Patience);
            }

            // Every process stops at half its commits until all have got there, so each writes both before and after
            // the others have begun, however slowly one of them starts.
            workers.ForEach(w => w.Send("GO"));
            var inProcess = Enumerable.Range(0, InProcessWriters).Select(w => Task.Run(() => WriteAsync(writerStore, w, halfway.Task))).ToList();
            foreach (var worker in workers)
            {
                await worker.WaitForAsync(l => l == "HALF .", Patience);
            }

            workers.ForEach(w => w.Send("GO"));
            halfway.SetResult();
            var acknowledgedByProcess = new List<List<AcknowledgedCommit>>();
            foreach (var worker in workers)
            {
                acknowledgedByProcess.Add([.. (await worker.FinishAsync(Patience)).Select(AcknowledgedCommit.Parse).OfType<AcknowledgedCommit>()]);
            }

            acknowledgedByProcess.Add([.. (await Task.WhenAll(inProcess).WaitAsync(Patience)).SelectMany(a => a)]);

            var acknowledged = acknowledgedByProcess.SelectMany(a => a).ToList();
            Assert.Equal((Workers * WritersPerWorker + InProcessWriters) * CommitsPerWriter, acknowledged.Count);
            LogChecks.ProcessesInterleaved(acknowledgedByProcess);

            var log = await writerStore.ReadAllAsync().ToListAsync();
            LogChecks.HoldsExactlyTheAcknowledged(log, acknowledged);
            LogChecks.RevisionsAreContiguous(log);

            var expectedShipped = log.Where(Shipped.Matches).ToList();
            Assert.NotEmpty(expectedShipped);
            await all.WaitForPositionAsync(log[^1].Position, Patience);
            await poller.WaitForPositionAsync(log[^1].Position, Patience);
            await shipped.WaitForPositionAsync(expectedShipped[^1].Position, Patience);
            foreach (var (observer, expected) in new[] { (all, log), (poller, log), (shipped, expectedShipped) })
            {
                Assert.Null(observer.Violation);
                LogChecks.SameSequence(expected, observer.Events, observer.Name);
            }
        }
        finally
        {
            halfway.TrySetResult();
            workers.ForEach(w => w.Dispose());
            await all.DisposeAsync();
            await shipped.DisposeAsync();
            await poller.DisposeAsync();
        }
    }

    private static async Task<List<AcknowledgedCommit>> WriteAsync(IEventStore store, int writer, Task halfway)
    {
        var random = new Random(writer);
        var acknowledged = new List<AcknowledgedCommit>();
        for (var i = 0; i < CommitsPerWriter; i++)
        {
            if (i == CommitsPerWriter / 2)
            {
                await halfway;
            }

            var stream = StreamName.For("ord", $"s{random.Next(Streams)}");
            var events = Enumerable.Range(0, random.Next(1, 4))
                .Select(n => new EventData(Guid.NewGuid(), random.Next(3) == 0 ? "Shipped" : "Placed", Encoding.UTF8.GetBytes($$"""{"writer":{{writer}},"n":{{n}}}""")))
                .ToArray();
            var append = await store.AppendAsync(stream, ExpectedRevision.Any, events);
            acknowledged.Add(AcknowledgedCommit.From(append, events));
        }

        return acknowledged;
    }
}
