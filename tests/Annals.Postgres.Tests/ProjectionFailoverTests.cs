using System.Diagnostics;
using Annals.Projections;
using Annals.TestWorker;
using Annals.TestWorker.Projections;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Two processes host the same projection on one schema with 1 s leases: one owns it, the other waits for its lease.
/// When the owner dies by SIGKILL (its lease is not released), the other takes the projection over and has handled the
/// events committed since within the lease duration plus 2 s of the kill. The lease lapses at most one duration after
/// the owner's last renewal, which came before its death; the waiter asks again every third of a duration; the 2 s
/// cover that, reading the checkpoint, catching up on the new events and the workers' 50 ms status polling. The test
/// runs alone (<see cref="TimedCollection"/>), since a CPU shared with other tests' processes stretches all of it. The
/// read model counts every event exactly once at the end.
/// </summary>
[Collection(nameof(TimedCollection))]
public sealed class ProjectionFailoverTests(ITestOutputHelper output)
{
    private const string Projection = "tally";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = Lease + TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Waiting_process_takes_over_within_the_lease_duration_plus_2_s_when_the_owner_is_killed()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        await Tally.CreateAsync(store);
        var random = new Random(20261125);
        var head = await TallyEvents.AppendAsync(store, random, 500);
        using var a = ProjectionWorker.StartPostgres(PostgresFixture.ConnectionString, schema, Projection, "a", Lease);
        using var b = ProjectionWorker.StartPostgres(PostgresFixture.ConnectionString, schema, Projection, "b", Lease);

        // Whichever takes the lease first catches up; the other waits for the lease.
        var owner = await FirstLiveAtAsync(head, a, b);
        var waiter = owner == a ? b : a;
        await waiter.WaitForReportAsync(l => l.State == ProjectionState.WaitingForLease, Patience);
        head = await TallyEvents.AppendAsync(store, random, 200);
        await owner.WaitForReportAsync(l => l.State == ProjectionState.Live && l.Last == head, Patience);
        Assert.False(
            waiter.Reports().Any(l => l.IsBatch || l.State is not (null or ProjectionState.Stopped or ProjectionState.WaitingForLease)),
            $"Only the {owner.Name} should have run the projection. The {owner.Name}: {owner.Describe()} The {waiter.Name}: {waiter.Describe()}");

        // Timed from just before the kill and to when each line arrived, so the measure errs on the long side only.
        var killedAt = Stopwatch.GetTimestamp();
        await owner.KillAsync();
        head = await TallyEvents.AppendAsync(store, random, 50);
        var firstBatch = await waiter.WaitForReportAsync(l => l.IsBatch, Patience);
        var live = await waiter.WaitForReportAsync(l => l.State == ProjectionState.Live && l.Last == head, Patience);
        var tookOver = Stopwatch.GetElapsedTime(killedAt, firstBatch.ReceivedAt);
        var caughtUp = Stopwatch.GetElapsedTime(killedAt, live.ReceivedAt);
        output.WriteLine($"The owner was {owner.Name}. After its kill the {waiter.Name} handed its first batch over in {tookOver.TotalMilliseconds:0} ms and had handled the new events in {caughtUp.TotalMilliseconds:0} ms.");
        output.WriteLine($"States the {owner.Name} reported: {States(owner, killedAt)}");
        output.WriteLine($"States the {waiter.Name} reported: {States(waiter, killedAt)}");
        Assert.True(caughtUp <= Bound, $"The {waiter.Name} had handled the events committed after the owner's death only {caughtUp} after it, more than {Bound}.");

        await waiter.StopAsync(Patience);
        Assert.Equal(head, await store.ReadCheckpointAsync(Projection));
        Assert.Empty(await Tally.DifferencesAsync(store, head));
    }

    /// <summary>The worker that first reports being live at a position.</summary>
    private static async Task<WorkerProcess> FirstLiveAtAsync(long position, params WorkerProcess[] workers)
    {
        var waits = workers.Select(w => w.WaitForReportAsync(l => l.State == ProjectionState.Live && l.Last == position, Patience)).ToList();
        var first = await Task.WhenAny(waits);
        await first;
        return workers[waits.IndexOf(first)];
    }

    /// <summary>The states and checkpoints a worker reported, each with when it came relative to the kill.</summary>
    private static string States(WorkerProcess worker, long killedAt) =>
        string.Join(", ", worker.Reports().Where(l => l.IsStatus).Select(l => $"{l} ({Stopwatch.GetElapsedTime(killedAt, l.ReceivedAt).TotalMilliseconds:+0;-0} ms)"));
}
