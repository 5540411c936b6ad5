using System.Collections.Concurrent;
using System.Text;
using Annals.Storage;
using Annals.TestWorker;
using Xunit;
using Xunit.Abstractions;

namespace Annals.Postgres.Tests;

/// <summary>
/// Restarts the PostgreSQL server twice while four writers commit with
/// <see cref="CommitRetryExtensions.CommitWithRetryAsync"/>, each logical commit keeping its event
/// ids across retries. Commits whose acknowledgement was lost are retried and must not be stored
/// twice; the store's writer must reconnect by itself, also after a restart while it was idle;
/// subscriptions started before the first restart must resume and deliver the whole log in order.
/// </summary>
[Collection(nameof(ServerRestartCollection))]
[Trait("Category", "ServerRestart")]
public sealed class RestartFaultTests(ITestOutputHelper output)
{
    private const int Writers = 4;
    private const int Streams = 4;
    private const int Restarts = 2;
    private const int CommitsBetweenRestarts = 100;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // Enough attempts to outlast a restart by far: a commit given up on would fail the test.
    private static readonly CommitRetryOptions Retry = new() { MaxAttempts = 60, FirstDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(500) };

    [Fact]
    public async Task Commits_retried_across_server_restarts_are_stored_once_and_subscriptions_resume_in_order()
    {
        var schema = PostgresFixture.NewSchema();
        // No polling within the test's time: subscriptions must be woken by notifications alone, so
        // a listener that did not reconnect after a restart cannot hide behind a poll.
        await using var writerStore = await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
        await using var readerStore = await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
        var onWriterStore = LogObserver.Subscribe(writerStore, "the subscription on the writing store");
        var onReaderStore = LogObserver.Subscribe(readerStore, "the subscription on another store");
        var poller = LogObserver.Poll(readerStore, "the polling reader");
        var writer = new CountingWriter(writerStore);
        var acknowledged = new ConcurrentQueue<AcknowledgedCommit>();
        using var stop = new CancellationTokenSource();
        var writers = new List<Task>();
        try
        {
            writers.AddRange(Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(writer, w, acknowledged, stop.Token))));
            await WaitForAcknowledgedAsync(acknowledged, CommitsBetweenRestarts, writers);
            for (var restart = 0; restart < Restarts; restart++)
            {
                await PostgresServer.RestartAsync();

                // The same store, never reopened, commits again.
                await WaitForAcknowledgedAsync(acknowledged, acknowledged.Count + CommitsBetweenRestarts, writers);
            }

            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(Patience);

            // One more restart while the writer is idle: its connection, kept from before, is found
            // closed at the next commit, which must succeed all the same, with no retry and no reopening.
            await PostgresServer.RestartAsync();
            var last = new EventData(Guid.NewGuid(), "Closed", "{}"u8.ToArray());
            acknowledged.Enqueue(AcknowledgedCommit.From(await writerStore.AppendAsync(StreamName.For("acct", "s0"), ExpectedRevision.StreamExists, last), [last]));

            output.WriteLine($"{acknowledged.Count} commits acknowledged; {writer.Unavailable} attempts failed while the server restarted; the polling reader was interrupted {poller.Interruptions} times.");
            Assert.True(writer.Unavailable > 0, "No commit failed: the restarts did not interrupt the writers, and the test proved nothing.");
            var log = await writerStore.ReadAllAsync().ToListAsync();
            LogChecks.HoldsExactlyTheAcknowledged(log, acknowledged);
            LogChecks.RevisionsAreContiguous(log);
            foreach (var observer in new[] { onWriterStore, onReaderStore, poller })
            {
                await observer.WaitForPositionAsync(log[^1].Position, Patience);
                Assert.Null(observer.Violation);
                LogChecks.SameSequence(log, observer.Events, observer.Name);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(Task.WhenAll(writers), Task.Delay(Patience));
            await PostgresServer.EnsureRunningAsync();
            await onWriterStore.DisposeAsync();
            await onReaderStore.DisposeAsync();
            await poller.DisposeAsync();
        }
    }

    /// <summary>Commits until stopped; each logical commit makes its events once, so a retry re-commits the same ids.</summary>
    private static async Task WriteAsync(IEventWriter writer, int number, ConcurrentQueue<AcknowledgedCommit> acknowledged, CancellationToken stop)
    {
        var random = new Random(number);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var stream = StreamName.For("acct", $"s{random.Next(Streams)}");
            var events = Enumerable.Range(0, random.Next(1, 4))
                .Select(n => new EventData(Guid.NewGuid(), "Deposited", Encoding.UTF8.GetBytes($$"""{"writer":{{number}},"commit":{{i}},"n":{{n}}}""")))
                .ToArray();
            var batch = new CommitBatch().Append(stream, ExpectedRevision.Any, events);

            // Not cancelled by stop: a commit given up halfway would be neither acknowledged nor known to be absent.
            var result = await writer.CommitWithRetryAsync(batch, Retry);
            acknowledged.Enqueue(AcknowledgedCommit.From(result.Appends.Single(), events));
        }
    }

    private static async Task WaitForAcknowledgedAsync(ConcurrentQueue<AcknowledgedCommit> acknowledged, int count, List<Task> writers)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (acknowledged.Count < count)
        {
            if (writers.FirstOrDefault(w => w.IsCompleted) is { } ended)
            {
                // Shows why a writer gave up.
                await ended;
                Assert.Fail("A writer stopped before it was told to.");
            }

            Assert.True(DateTime.UtcNow < deadline, $"Only {acknowledged.Count} of {count} commits were acknowledged within {Patience}.");
            await Task.Delay(10);
        }
    }
}
