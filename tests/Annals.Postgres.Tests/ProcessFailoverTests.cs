using System.Diagnostics;
using Annals.TestWorker;
using Annals.TestWorker.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Two processes host the same process manager (<see cref="JobProcess"/>) on one schema with 1 s leases: one handles
/// its events and delivers its commands, the other waits for both leases. When the owner dies by SIGKILL in the middle
/// of an event batch (its leases are not released), the other takes both over within the lease duration plus 2 s of the
/// kill (as <see cref="ProjectionFailoverTests"/> bounds a projection's), and handles and delivers everything, including
/// jobs appended after the kill. Nothing is lost and nothing stored twice: each event is counted once by its instance,
/// one timeout is pending per open job, and each command was delivered once, or twice if it was the delivery in flight
/// at the kill. It runs alone (<see cref="TimedCollection"/>), since what it bounds stretches on a shared CPU.
/// </summary>
[Collection(nameof(TimedCollection))]
public sealed class ProcessFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = Lease + TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HandleHold = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan DeliveryHold = TimeSpan.FromMilliseconds(5);

    [Fact]
    public async Task Waiting_process_takes_over_events_and_deliveries_within_the_lease_duration_plus_2_s_when_the_owner_is_killed()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        var plan = new JobPlan(JobDomain.Codec(), new Random(20261208));
        await plan.AppendAsync(store, 150);
        using var a = JobWorker.StartPostgres(PostgresFixture.ConnectionString, schema, "a", Lease, HandleHold, DeliveryHold);
        using var b = JobWorker.StartPostgres(PostgresFixture.ConnectionString, schema, "b", Lease, HandleHold, DeliveryHold);

        // Both get ready first, so that the owner's run before the kill is short. The first to start takes both leases:
        // it has handled a batch and begun delivering before the other starts.
        await a.WaitUntilReadyAsync(Patience);
        await b.WaitUntilReadyAsync(Patience);
        a.Send("GO");
        await a.WaitForAsync(l => JobWorker.Is(l, "DELIVER"), Patience);
        b.Send("GO");
        await b.WaitForAsync(l => JobWorker.Words(l) is ["STATUS", "WaitingForLease", ..], Patience);

        // Timed from just before the kill, which comes at the owner's next step, and to when each line arrived: the
        // measure errs on the long side only.
        var killedAt = Stopwatch.GetTimestamp();
        await a.KillAtAsync(l => JobWorker.Is(l, "HANDLE"), Patience);
        // Unless a CPU starved of time kept the owner from renewing a lease (it then logs LOG 111 or 507, and lets go).
        if (!a.Lines.Any(l => JobWorker.Words(l.Text) is ["LOG", "111" or "507", ..]))
        {
            Assert.False(
                b.Lines.Any(l => JobWorker.Is(l.Text, "HANDLE") || JobWorker.Is(l.Text, "DELIVER")),
                $"Only the {a.Name} should have run the process before its death. The {b.Name}: {b.Describe()}");
        }

        var last = await plan.AppendAsync(store, 20);
        var firstStep = await b.WaitForAsync(l => JobWorker.Is(l, "HANDLE"), Patience);
        var firstDelivery = await b.WaitForAsync(l => JobWorker.Is(l, "DELIVER"), Patience);
        var done = await b.WaitUntilDoneAsync(last, Patience);
        var events = Stopwatch.GetElapsedTime(killedAt, firstStep.ReceivedAt);
        var deliveries = Stopwatch.GetElapsedTime(killedAt, firstDelivery.ReceivedAt);
        output.WriteLine(
            $"The {a.Name} began {a.Count("HANDLE")} steps and {a.Count("DELIVER")} deliveries. After its kill the {b.Name} began its first step in {events.TotalMilliseconds:0} ms, " +
            $"its first delivery in {deliveries.TotalMilliseconds:0} ms, and was done in {Stopwatch.GetElapsedTime(killedAt, done.ReceivedAt).TotalMilliseconds:0} ms " +
            $"({b.Count("HANDLE")} steps, {b.Count("DELIVER")} deliveries).");
        Assert.True(events <= Bound, $"The {b.Name} took the events over only {events} after the owner's death, more than {Bound}.");
        Assert.True(deliveries <= Bound, $"The {b.Name} took the deliveries over only {deliveries} after the owner's death, more than {Bound}.");
        await b.StopProcessAsync(Patience);

        // A page's delivered commands are removed together once the page is done: only those of the owner's last page (at
        // most 64) may have been delivered and left queued, to come again; and those the hosts may have cut short
        // themselves, on a lost lease or a failure (none, usually).
        var again = new Dictionary<Guid, int>();
        foreach (var id in a.CutShort().Concat(b.CutShort()).Concat(a.Deliveries().TakeLast(64)))
        {
            again[id] = again.GetValueOrDefault(id) + 1;
        }

        var figures = await JobCheck.RunAsync(store, again);
        var logged = a.Lines.Concat(b.Lines).Where(l => JobWorker.Is(l.Text, "LOG")).Select(l => l.Text).ToList();
        output.WriteLine($"{figures}; {logged.Count} warnings logged by the workers{(logged.Count > 0 ? ": " + string.Join(" | ", logged.Take(10)) : string.Empty)}.");
        Assert.True(figures.Problems.Count == 0, $"{figures.Problems.Count} problems:{Environment.NewLine}{string.Join(Environment.NewLine, figures.Problems.Take(50))}");
        Assert.Equal(plan.Jobs, figures.Commands);
        Assert.Equal(plan.Events, figures.Events);
    }
}
