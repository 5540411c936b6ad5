using Annals.Projections;
using Annals.TestWorker;
using Annals.TestWorker.Projections;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Kills a process hosting a projection with SIGKILL ten times, each time just after its handler hands a batch over
/// (so most kills land between the handler and the batch's commit), while this process keeps appending, and checks
/// after every kill and at the end that the projection's SQL read model counts each event up to its checkpoint exactly
/// once. Each worker is a new lease owner, so it takes the projection over once the dead one's lease lapses.
/// </summary>
public sealed class ProjectionCrashTests(ITestOutputHelper output)
{
    private const string Projection = "tally";
    private const int Kills = 10;
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AppendEvery = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Read_model_counts_every_event_once_across_SIGKILLs_mid_batch()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        await Tally.CreateAsync(store);
        var random = new Random(20261123);
        await TallyEvents.AppendAsync(store, random, 3000);

        var runs = new List<KilledRun>();
        long checkpoint = 0;
        using var appending = new CancellationTokenSource();
        var appender = TallyEvents.AppendEveryAsync(store, new Random(20261124), AppendEvery, appending.Token);
        try
        {
            for (var round = 0; round < Kills; round++)
            {
                var delay = TimeSpan.FromMilliseconds(random.Next(0, 1000));
                using var worker = ProjectionWorker.StartPostgres(PostgresFixture.ConnectionString, schema, Projection, $"run-{round}", Lease);
                var (lastBatch, state) = await worker.KillAtABatchAfterAsync(delay, Patience);

                // The dead worker was the only one to move the checkpoint and the read model.
                var reached = await store.ReadCheckpointAsync(Projection) ?? 0;
                runs.Add(new KilledRun(round, delay, lastBatch, reached, state));
                output.WriteLine(runs[^1].ToString());
                Assert.InRange(reached, checkpoint, lastBatch.Last);
                Assert.Empty(await Tally.DifferencesAsync(store, reached));
                checkpoint = reached;
            }
        }
        finally
        {
            await appending.CancelAsync();
            await appender;
        }

        output.WriteLine(KilledRun.Summary(runs));
        Assert.Contains(runs, r => r.MidBatch);
        var head = await store.GetHeadPositionAsync();
        using (var worker = ProjectionWorker.StartPostgres(PostgresFixture.ConnectionString, schema, Projection, "last", Lease))
        {
            await worker.WaitForReportAsync(l => l.State == ProjectionState.Live && l.Last == head, Patience);
            await worker.StopAsync(Patience);
        }

        Assert.Equal(head, await store.ReadCheckpointAsync(Projection));
        Assert.Empty(await Tally.DifferencesAsync(store, head));
    }
}
