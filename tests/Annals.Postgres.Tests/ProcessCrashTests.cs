using Annals.TestWorker.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Kills a process hosting a process manager (<see cref="JobProcess"/>) with SIGKILL six times, each at a line it
/// prints: as a step begins (its event batch then dies uncommitted), as a delivery begins, or once a delivered command's
/// receipt is stored (the command then dies delivered and still queued). Each worker is a new lease owner, so it takes
/// the event side and the deliveries over once the dead one's leases lapse. Between the kills the test appends more
/// jobs, some of them ending instances stored long before. A last run handles and delivers everything; then every open
/// instance has its state with each event counted once and exactly one pending timeout, a finished one nothing, and
/// every command was enqueued once, under the id derived from its event, and delivered at least once, more only where a
/// kill left it delivered and queued.
/// </summary>
// It runs alone: its workers load both cores, and the timing-bound tests of this project (300 ms leases, processes that
// must write at the same time) must not run beside it.
[Collection(nameof(TimedCollection))]
public sealed class ProcessCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan HandleHold = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan DeliveryHold = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task Instances_timeouts_and_commands_are_exact_across_SIGKILLs_mid_batch_and_mid_delivery()
    {
        var schema = PostgresFixture.NewSchema();
        var run = new JobCrashRun(
            async () => await PostgresFixture.OpenAsync(schema),
            round => JobWorker.StartPostgres(PostgresFixture.ConnectionString, schema, $"run-{round}", Lease, HandleHold, DeliveryHold),
            output.WriteLine,
            seed: 20261207);

        var figures = await run.RunAsync(jobs: 150, kills: 6, jobsBetween: 6);

        Assert.True(figures.Problems.Count == 0, $"{figures.Problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, figures.Problems.Take(50))}");
        Assert.Contains(run.Kills, k => k.MidBatch);
        Assert.Contains(run.Kills, k => k.MidDelivery);
    }
}
