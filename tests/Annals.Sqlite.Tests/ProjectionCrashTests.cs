using Annals.Projections;
using Annals.TestWorker;
using Annals.TestWorker.Projections;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Sqlite.Tests;

/// <summary>
/// Kills a process hosting a projection with SIGKILL ten times, each time just after its handler hands a batch over
/// (so most kills land between the handler and the batch's commit), and checks after every kill and at the end that
/// the projection's SQL read model counts each event up to its checkpoint exactly once. The test appends between the
/// kills; while a worker runs it appends too, since only the process owning the file may write to it, so kills land
/// both while catching up and while live. The next process to open the file carries on from the checkpoint.
/// </summary>
public sealed class ProjectionCrashTests(SqliteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteFixture>
{
    private const string Projection = "tally";
    private const int Kills = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AppendEvery = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Read_model_counts_every_event_once_across_SIGKILLs_mid_batch()
    {
        var path = fixture.NewPath();
        var random = new Random(20261123);
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            await Tally.CreateAsync(store);
            await TallyEvents.AppendAsync(store, random, 3000);
        }

        var runs = new List<KilledRun>();
        long checkpoint = 0;
        long head = 0;
        for (var round = 0; round < Kills; round++)
        {
            var delay = TimeSpan.FromMilliseconds(random.Next(0, 150));
            using var worker = ProjectionWorker.StartSqlite(path, Projection, AppendEvery);
            var (lastBatch, state) = await worker.KillAtABatchAfterAsync(delay, Patience);

            // Opening for writing also proves the dead owner's lock was released.
            await using var store = await SqliteEventStore.OpenAsync(path);
            var reached = await store.ReadCheckpointAsync(Projection) ?? 0;
            runs.Add(new KilledRun(round, delay, lastBatch, reached, state));
            output.WriteLine(runs[^1].ToString());
            Assert.InRange(reached, checkpoint, lastBatch.Last);
            Assert.Empty(await Tally.DifferencesAsync(store, reached));
            checkpoint = reached;

            // The worker is dead and the last one appends nothing, so after the last round this is the head.
            head = await TallyEvents.AppendAsync(store, random, random.Next(50, 300));
        }

        output.WriteLine(KilledRun.Summary(runs));
        Assert.Contains(runs, r => r.MidBatch);
        using (var worker = ProjectionWorker.StartSqlite(path, Projection))
        {
            await worker.WaitForReportAsync(l => l.State == ProjectionState.Live && l.Last == head, Patience);
            await worker.StopAsync(Patience);
        }

        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            Assert.Equal(head, await store.ReadCheckpointAsync(Projection));
            Assert.Empty(await Tally.DifferencesAsync(store, head));
        }
    }
}
