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
        var report = new CrashReport();
        var random = new Random(20261122);
        for (var round = 0; round < Rounds; round++)
        {
            report.Record(await RunAndKillAsync(path, TimeSpan.FromMilliseconds(random.Next(0, 300))));
            await VerifyAsync(path, report);
        }

        var acknowledged = report.Acknowledged.Count();
        Assert.True(acknowledged >= Rounds, $"Only {acknowledged} commits were acknowledged over {Rounds} rounds; the worker barely ran.");
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

    private static async Task VerifyAsync(string path, CrashReport report)
    {
        // Opening for writing also proves the dead owner's lock was released.
        await using var store = await SqliteEventStore.OpenAsync(path);
        var log = await store.ReadAllAsync().ToListAsync();

        // Every batch the worker tried is there whole or not at all, every acknowledged one where it was told.
        var stored = report.Check(log, Writers);
        for (var writer = 0; writer < Writers; writer++)
        {
            var stream = StreamName.For("crash", $"w{writer}");
            var events = await store.ReadStreamAsync(stream).ToListAsync();
            Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Revision));

            // The state saved in the same batch counts exactly the batches that are there.
            var state = await store.ReadStateAsync(StreamName.For("crashstate", $"w{writer}"));
            Assert.Equal(stored[writer], state?.Version ?? 0);
        }
    }
}
