using System.Globalization;
using Annals.Storage;
using Annals.TestWorker;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Nats.Tests;

/// <summary>
/// Worker processes (Annals.TestWorker) on one NATS store at once: racing on the same streams with expected revisions,
/// writing while a subscription in this process follows the log, and killed with SIGKILL in the middle of a commit.
/// Each test has a store of its own.
/// </summary>
public sealed class NatsMultiProcessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Processes_racing_with_expected_revisions_each_win_every_revision_once_and_losers_get_the_concurrency_error()
    {
        const int Processes = 2;
        const int WritersPerProcess = 2;
        const int AttemptsPerWriter = 150;
        const int Streams = 3;
        var store = NatsFixture.NewStore();
        await using var reader = await NatsFixture.OpenAsync(store);
        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < Processes; i++)
            {
                workers.Add(WorkerProcess.Start($"racing worker {i}", "append", [.. WorkerStore(store), WritersPerProcess, AttemptsPerWriter, Streams, "--expect-revision"]));
            }

            var lines = await RunHalfAndHalfAsync(workers);
            var won = lines.Select(l => l.Select(AcknowledgedCommit.Parse).OfType<AcknowledgedCommit>().ToList()).ToList();
            var lost = lines.Select(l => l.Select(LostCommit.Parse).OfType<LostCommit>().ToList()).ToList();
            for (var p = 0; p < Processes; p++)
            {
                // The worker ends at any error but the typed one: each of its attempts was won or lost to a concurrent writer.
                Assert.All(lines[p], l => Assert.True(l is "READY ." or "HALF ." or "DONE ." || l.StartsWith("ACK ", StringComparison.Ordinal) || l.StartsWith("LOST ", StringComparison.Ordinal), $"{workers[p].Name} printed '{l}'."));
                Assert.Equal(WritersPerProcess * AttemptsPerWriter, won[p].Count + lost[p].Count);
                Assert.NotEmpty(won[p]);
                Assert.NotEmpty(lost[p]);
            }

            LogChecks.ProcessesInterleaved(won);
            var log = await reader.ReadAllAsync().ToListAsync();
            var acknowledged = won.SelectMany(w => w).ToList();
            LogChecks.HoldsExactlyTheAcknowledged(log, acknowledged);
            LogChecks.RevisionsAreContiguous(log);

            // Each acknowledged commit is one message of the server's stream, and the losers wrote none.
            Assert.All(acknowledged, c => Assert.Equal(NatsPositions.SequenceOf(c.FirstPosition), NatsPositions.SequenceOf(c.LastPosition)));
            Assert.Equal(acknowledged.Count, log.Select(e => NatsPositions.SequenceOf(e.Position)).Distinct().Count());

            // Every stored revision of every stream was won by exactly one process, and every revision claimed is stored.
            var winners = new Dictionary<(StreamName Stream, long Revision), List<int>>();
            for (var p = 0; p < Processes; p++)
            {
                foreach (var commit in won[p])
                {
                    for (var revision = commit.FirstRevision; revision <= commit.LastRevision; revision++)
                    {
                        winners.TryAdd((commit.Stream, revision), []);
                        winners[(commit.Stream, revision)].Add(p);
                    }
                }
            }

            var duplicate = winners.FirstOrDefault(w => w.Value.Count > 1);
            Assert.True(duplicate.Value is null, $"{duplicate.Key.Stream}@{duplicate.Key.Revision} was won by processes {string.Join(" and ", duplicate.Value ?? [])}.");
            var storedRevisions = log.Select(e => (e.Stream, e.Revision)).ToHashSet();
            Assert.True(storedRevisions.SetEquals(winners.Keys), "The revisions the processes won are not those stored.");

            // A loser had really been overtaken: the stream had moved past the revision it expected, to one that is stored.
            var last = log.GroupBy(e => e.Stream).ToDictionary(g => g.Key, g => g.Max(e => e.Revision));
            var lostToTheOther = 0;
            for (var p = 0; p < Processes; p++)
            {
                foreach (var loss in lost[p])
                {
                    Assert.True(loss.Actual > loss.Expected && loss.Actual <= last[loss.Stream], $"{workers[p].Name} lost {loss}, but the stream ended at revision {last[loss.Stream]}.");
                    lostToTheOther += winners[(loss.Stream, loss.Expected + 1)][0] != p ? 1 : 0;
                }
            }

            Assert.True(lostToTheOther > 0, "No commit lost to the other process: the processes did not race.");

            // The event ids the losers reserved were given back: the ids bucket holds the stored events' ids, no more.
            var ids = await new NatsKVContext(new NatsJSContext(NatsFixture.Connection)).GetStoreAsync(new NatsStoreLayout(store).Bucket("ids"));
            var reserved = new HashSet<string>();
            await foreach (var key in ids.GetKeysAsync())
            {
                reserved.Add(key);
            }

            var leftBehind = reserved.Except(log.Select(e => NatsKeys.IdKey(e.EventId))).ToList();
            Assert.True(leftBehind.Count == 0, $"{leftBehind.Count} event ids of lost commits are still reserved, such as {leftBehind.FirstOrDefault()}.");
            Assert.Equal(log.Count, reserved.Count);
            output.WriteLine($"{acknowledged.Count} commits won ({log.Count} events), {lost.Sum(l => l.Count)} lost, {lostToTheOther} of them to the other process.");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task A_subscription_sees_every_event_of_three_writing_processes_once_in_position_order()
    {
        const int Processes = 3;
        const int WritersPerProcess = 2;
        const int CommitsPerWriter = 80;
        const int Streams = 6;
        var store = NatsFixture.NewStore();

        // No polling within the test's time: the subscriptions learn of the workers' commits only by their wake-ups.
        await using var reader = await NatsFixture.OpenAsync(store, o => o.PollInterval = TimeSpan.FromMinutes(10));
        var live = LogObserver.Subscribe(reader, "the subscription from before the first commit");
        LogObserver? late = null;
        var workers = new List<WorkerProcess>();
        try
        {
            for (var i = 0; i < Processes; i++)
            {
                workers.Add(WorkerProcess.Start($"appending worker {i}", "append", [.. WorkerStore(store), WritersPerProcess, CommitsPerWriter, Streams]));
            }

            // The second subscription starts from the beginning halfway, while the workers wait: it catches up on half the
            // log and goes live as they write the rest.
            var lines = await RunHalfAndHalfAsync(workers, () => late = LogObserver.Subscribe(reader, "the subscription from halfway"));
            var acknowledgedByProcess = lines.Select(l => l.Select(AcknowledgedCommit.Parse).OfType<AcknowledgedCommit>().ToList()).ToList();
            var acknowledged = acknowledgedByProcess.SelectMany(a => a).ToList();
            Assert.Equal(Processes * WritersPerProcess * CommitsPerWriter, acknowledged.Count);
            LogChecks.ProcessesInterleaved(acknowledgedByProcess);

            // One more commit after all of theirs: whatever a subscription was to see of theirs, it sees before this one.
            var end = await reader.AppendAsync(StreamName.For("end", "0"), ExpectedRevision.NoStream, EventData.FromText("Ended", "{}"));
            var log = await reader.ReadAllAsync().ToListAsync();
            Assert.Equal(end.LastPosition, log[^1].Position);
            LogChecks.HoldsExactlyTheAcknowledged(log.SkipLast(1).ToList(), acknowledged);
            LogChecks.RevisionsAreContiguous(log);
            foreach (var observer in new[] { live, late! })
            {
                await observer.WaitForPositionAsync(end.LastPosition, Patience);
                Assert.Null(observer.Violation);
                LogChecks.SameSequence(log, observer.Events, observer.Name);
                Assert.Equal(acknowledged.SelectMany(c => c.EventIds).Order(), observer.Events.SkipLast(1).Select(e => e.EventId).Order());
            }

            output.WriteLine($"{acknowledged.Count} commits ({log.Count - 1} events) of {Processes} processes, each seen once by both subscriptions.");
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
            await live.DisposeAsync();
            if (late is not null)
            {
                await late.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_writer_killed_mid_commit_leaves_every_acknowledged_commit_once_none_half_written_and_the_store_working()
    {
        const int Rounds = 5;
        const int Writers = 3;
        var store = NatsFixture.NewStore();
        var report = new CrashReport();
        var random = new Random(20261206);
        for (var round = 0; round < Rounds; round++)
        {
            // Killed at a random point of its run, from the thread that reads its output: at a line saying a batch is about
            // to be committed, which the worker, writing ahead of that thread, has left behind by a few batches, so its
            // writers' commits are on their way to the server or back.
            var killAt = random.Next(5, 60);
            var tries = 0;
            using (var worker = WorkerProcess.Start($"crash worker {round}", "crash", [.. WorkerStore(store), Writers]))
            {
                await worker.WaitUntilReadyAsync(Patience);
                await worker.KillAtAsync(l => l.StartsWith("TRY ", StringComparison.Ordinal) && ++tries == killAt, Patience);
                report.Record(worker.Lines.Select(l => l.Text));
            }

            // A store opened afresh, on a connection of its own, finds every acknowledged commit once and none in part.
            await using var opened = await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Url = NatsFixture.Url, Store = store });
            var stored = report.Check(await opened.ReadAllAsync().ToListAsync(), Writers);
            output.WriteLine($"Round {round}: killed at the batch tried #{killAt} after it was ready; so far {report.Batches.Count} batches tried, {report.Acknowledged.Count()} acknowledged, {stored.Sum()} stored.");
        }

        Assert.True(report.Acknowledged.Count() >= Rounds * 3, $"Only {report.Acknowledged.Count()} commits were acknowledged over {Rounds} rounds; the worker barely ran.");

        // The store goes on: appends after the crashes, to a killed writer's stream and to a new one, are stored after all.
        await using var after = await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Url = NatsFixture.Url, Store = store });
        var before = await after.ReadAllAsync().ToListAsync();
        var crashed = StreamName.For("crash", "w0");
        var info = await after.GetStreamInfoAsync(crashed);
        Assert.NotNull(info);
        var next = await after.AppendAsync(crashed, ExpectedRevision.Exact(info.LastRevision), [EventData.FromText("Ticked", "{}"), EventData.FromText("Ticked", "{}")]);
        var fresh = await after.AppendAsync(StreamName.For("after", "0"), ExpectedRevision.NoStream, EventData.FromText("Resumed", "{}"));
        Assert.Equal(info.LastRevision + 1, next.FirstRevision);
        Assert.True(next.FirstPosition > before[^1].Position, $"The append after the crashes is at position {next.FirstPosition}, not after {before[^1].Position}.");
        Assert.True(fresh.FirstPosition > next.LastPosition);
        var log = await after.ReadAllAsync().ToListAsync();
        Assert.Equal(before.Count + 3, log.Count);
        LogChecks.PositionsStrictlyIncrease(log, "the log after the crashes");
        LogChecks.RevisionsAreContiguous(log);
        Assert.Equal([next.FirstPosition, next.LastPosition, fresh.FirstPosition], log.TakeLast(3).Select(e => e.Position));
    }

    /// <summary>The worker's arguments that name the store on the test server.</summary>
    private static object[] WorkerStore(string store) => ["--nats", NatsFixture.Url, "--store", store];

    /// <summary>
    /// Starts appending workers together and holds each at half its commits until all have got there, so each writes both
    /// before and after the others have begun; then lets them finish and returns what each printed.
    /// </summary>
    private static async Task<List<IReadOnlyList<string>>> RunHalfAndHalfAsync(List<WorkerProcess> workers, Action? atHalf = null)
    {
        foreach (var worker in workers)
        {
            await worker.WaitUntilReadyAsync(Patience);
        }

        workers.ForEach(w => w.Send("GO"));
        foreach (var worker in workers)
        {
            await worker.WaitForAsync(l => l == "HALF .", Patience);
        }

        atHalf?.Invoke();
        workers.ForEach(w => w.Send("GO"));
        var lines = new List<IReadOnlyList<string>>();
        foreach (var worker in workers)
        {
            lines.Add(await worker.FinishAsync(Patience));
        }

        return lines;
    }

    /// <summary>A commit the worker's writer lost to another: <c>LOST &lt;stream&gt; &lt;expected&gt; &lt;actual&gt; .</c>, -1 for no stream.</summary>
    private sealed record LostCommit(StreamName Stream, long Expected, long Actual)
    {
        public static LostCommit? Parse(string line) =>
            line.Split(' ') is ["LOST", var stream, var expected, var actual, "."]
                ? new(StreamName.Parse(stream), long.Parse(expected, CultureInfo.InvariantCulture), long.Parse(actual, CultureInfo.InvariantCulture))
                : null;

        public override string ToString() => $"{Stream} expecting revision {Expected} when it was at {Actual}";
    }
}
