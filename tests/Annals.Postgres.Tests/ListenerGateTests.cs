using Annals.Storage;
using Annals.TestWorker;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Commits notify only while some store listens; a subscription that starts while others commit is woken by
/// notifications alone and misses nothing, whichever side of its start a commit falls on.
/// </summary>
public sealed class ListenerGateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Commits_notify_only_while_a_store_listens()
    {
        var schema = PostgresFixture.NewSchema();
        await using var writer = await PostgresFixture.OpenAsync(schema);
        var notified = 0;
        await using var observer = await PostgresFixture.DataSource.OpenConnectionAsync();
        observer.Notification += (_, _) => Interlocked.Increment(ref notified);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{PostgresEventStore.Channel(schema)}\"", observer))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await writer.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.Any, Event());
        await DrainAsync(observer);
        Assert.Equal(0, Volatile.Read(ref notified));

        // A store whose subscription waits for commits listens, and holds the gate open while it does.
        await using var reader = await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
        using var timeout = new CancellationTokenSource(Patience);
        await using var subscription = reader.SubscribeAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await subscription.MoveNextAsync());
        var waiting = subscription.MoveNextAsync();
        await WaitUntilAsync(() => ListenersAsync(schema), count => count == 1);

        var appended = await writer.AppendAsync(StreamName.Parse("account.2"), ExpectedRevision.Any, Event());
        Assert.True(await waiting);
        Assert.Equal(appended.LastPosition, subscription.Current.Position);
        await WaitUntilAsync(async () => { await DrainAsync(observer); return Volatile.Read(ref notified); }, count => count == 1);

        // Once the listening store is gone, commits stop notifying.
        await subscription.DisposeAsync();
        await reader.DisposeAsync();
        await WaitUntilAsync(() => ListenersAsync(schema), count => count == 0);
        await writer.AppendAsync(StreamName.Parse("account.3"), ExpectedRevision.Any, Event());
        await DrainAsync(observer);
        Assert.Equal(1, Volatile.Read(ref notified));
    }

    [Fact]
    public async Task Subscriptions_started_during_a_stream_of_commits_see_every_one_without_polling()
    {
        const int Writers = 4;
        const int Subscribers = 6;
        var schema = PostgresFixture.NewSchema();
        await using var writerStore = await PostgresFixture.OpenAsync(schema);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var stream = StreamName.Parse($"account.{w}");
            while (!stop.IsCancellationRequested)
            {
                await writerStore.AppendAsync(stream, ExpectedRevision.Any, Event());
            }
        })).ToList();

        // Each subscriber opens a store of its own, so each starts a listener while the writers commit.
        var stores = new List<PostgresEventStore>();
        var subscribers = new List<LogObserver>();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
                stores.Add(await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10)));
                subscribers.Add(LogObserver.Subscribe(stores[^1], $"subscriber {i}"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            var head = await writerStore.GetHeadPositionAsync();

            // Every subscriber reaches the head the writers left, woken by notifications alone.
            foreach (var subscriber in subscribers)
            {
                await subscriber.WaitForPositionAsync(head, Patience);
                Assert.Null(subscriber.Violation);
                Assert.Equal(Enumerable.Range(1, (int)head).Select(p => (long)p), subscriber.Events.Select(e => e.Position));
            }
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }

            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    private static async Task<long> ListenersAsync(string schema) =>
        (long)(await PostgresFixture.ScalarAsync(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {ListenerGate.Space} AND objid = hashtext($1)::oid AND mode = 'ShareLock' AND granted",
            PostgresEventStore.Channel(schema)))!;

    private static async Task WaitUntilAsync(Func<Task<long>> read, Func<long, bool> done)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!done(await read()))
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for a count to change");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Lets notifications already sent reach the observer: a round trip on its connection delivers them.</summary>
    private static async Task DrainAsync(NpgsqlConnection observer)
    {
        await using var command = new NpgsqlCommand("SELECT 1", observer);
        await command.ExecuteScalarAsync();
    }

    private static EventData Event() => PostgresFixture.Event("Deposited");
}
