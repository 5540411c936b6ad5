using System.Globalization;
using Annals.Storage;
using Annals.TestWorker;
using Xunit;

namespace Annals.Sqlite.Tests;

/// <summary>
/// Kills a process that commits in a loop (SIGKILL, at random moments) and checks the file
/// afterwards: everything acknowledged is there, no batch is partial, revisions are contiguous.
/// </summary>
public sealed class CrashTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private const int Rounds = 20;
    private const int Writers = 4;

    [Fact]
    public async Task Acknowledged_commits_survive_SIGKILL_and_no_batch_is_partial()
    {
        var path = fixture.NewPath();
        var tried = new Dictionary<(int Writer, long Version), Guid[]>();
        var acknowledged = new Dictionary<(int Writer, long Version), long[]>();
        var random = new Random(20261122);
        for (var round = 0; round < Rounds; round++)
        {
            var lines = await RunAndKillAsync(path, TimeSpan.FromMilliseconds(random.Next(0, 300)));
            foreach (var line in lines)
            {
                Record(line, tried, acknowledged);
            }

            await VerifyAsync(path, tried, acknowledged);
        }

        Assert.True(acknowledged.Count >= Rounds, $"Only {acknowledged.Count} commits were acknowledged over {Rounds} rounds; the worker barely ran.");
    }

    private static async Task<List<string>> RunAndKillAsync(string path, TimeSpan runFor)
    {
        using var worker = WorkerProcess.Start("crash worker", "crash", [path, Writers]);
        await worker.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));

        // A random moment of a real process's run: the kill is what is tested, not this process's clock.
        await Task.Delay(runFor);
        await worker.KillAsync(); // SIGKILL on Unix: no finally block, no flush, no dispose runs in the worker.
        return [.. worker.Lines.Select(l => l.Text)];
    }

    private static void Record(string line, Dictionary<(int, long), Guid[]> tried, Dictionary<(int, long), long[]> acknowledged)
    {
        // A line cut by the kill lacks the final " ." and is ignored.
        var parts = line.Split(' ');
        if (parts.Length < 2 || parts[^1] != ".")
        {
            return;
        }

        if (parts[0] == "TRY" && parts.Length == 5)
        {
            tried[(int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture))] = [.. parts[3].Split(',').Select(Guid.Parse)];
        }
        else if (parts[0] == "ACK" && parts.Length == 8)
        {
            acknowledged[(int.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture))] = [.. parts[3..7].Select(p => long.Parse(p, CultureInfo.InvariantCulture))];
        }
    }

    private static async Task VerifyAsync(string path, Dictionary<(int Writer, long Version), Guid[]> tried, Dictionary<(int Writer, long Version), long[]> acknowledged)
    {
        // Opening for writing also proves the dead owner's lock was released.
        await using var store = await SqliteEventStore.OpenAsync(path);
        var log = await store.ReadAllAsync().ToListAsync();
        Assert.Equal(log.Count, log.Select(e => e.EventId).Distinct().Count());
        Assert.True(log.Zip(log.Skip(1)).All(p => p.First.Position < p.Second.Position), "Positions must strictly increase.");
        var byId = log.ToDictionary(e => e.EventId);

        for (var writer = 0; writer < Writers; writer++)
        {
            var stream = StreamName.For("crash", $"w{writer}");
            var events = await store.ReadStreamAsync(stream).ToListAsync();
            Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Revision));

            // Every batch the worker tried is there whole or not at all, and the state saved in the
            // same batch counts exactly the batches that are there.
            var present = 0;
            foreach (var ((w, version), ids) in tried.Where(t => t.Key.Writer == writer))
            {
                var stored = ids.Count(byId.ContainsKey);
                Assert.True(stored == 0 || stored == ids.Length, $"Batch {version} of writer {w} is partial: {stored} of {ids.Length} events.");
                present += stored == 0 ? 0 : 1;
            }

            var state = await store.ReadStateAsync(StreamName.For("crashstate", $"w{writer}"));
            Assert.Equal(present, state?.Version ?? 0);
        }

        foreach (var (batch, at) in acknowledged)
        {
            var ids = tried[batch];
            for (var i = 0; i < ids.Length; i++)
            {
                Assert.True(byId.TryGetValue(ids[i], out var e), $"Acknowledged event {ids[i]} of batch {batch} is missing.");
                Assert.Equal($"crash.w{batch.Writer}", e.Stream.Value);
                Assert.Equal(at[0] + i, e.Revision);
                Assert.Equal(at[2] + i, e.Position);
            }

            Assert.Equal(at[1], at[0] + ids.Length - 1);
            Assert.Equal(at[3], at[2] + ids.Length - 1);
        }
    }
}
