using System.Text;
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
        await using var observer = await NpgsqlDataSource.Create(PostgresFixture.ConnectionString).OpenConnectionAsync();
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
        var subscribers = new List<(PostgresEventStore Store, List<long> Positions, Task Collecting)>();
        using var collecting = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < Subscribers; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
                var store = await PostgresFixture.OpenAsync(schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
                var positions = new List<long>();
                subscribers.Add((store, positions, CollectAsync(store, positions, collecting.Token)));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            var head = await writerStore.GetHeadPositionAsync();

            // Every subscriber reaches the head the writers left, woken by notifications alone.
            var deadline = DateTime.UtcNow + Patience;
            foreach (var (_, positions, _) in subscribers)
            {
                while (Count(positions) < head && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20));
                }

                lock (positions)
                {
                    Assert.Equal(Enumerable.Range(1, (int)head).Select(p => (long)p), positions);
                }
            }
        }
        finally
        {
            await collecting.CancelAsync();
            foreach (var (store, _, task) in subscribers)
            {
                await task;
                await store.DisposeAsync();
            }
        }
    }

    private static async Task CollectAsync(PostgresEventStore store, List<long> positions, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in store.SubscribeAsync(cancellationToken: cancellationToken))
            {
                lock (positions)
                {
                    positions.Add(e.Position);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static int Count(List<long> positions)
    {
        lock (positions)
        {
            return positions.Count;
        }
    }

    private static async Task<long> ListenersAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        await using var listeners = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1097755763 AND objid = hashtext($1)::oid AND mode = 'ShareLock' AND granted");
        listeners.Parameters.Add(new NpgsqlParameter { Value = PostgresEventStore.Channel(schema) });
        return (long)(await listeners.ExecuteScalarAsync())!;
    }

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

    private static EventData Event() => new(Guid.NewGuid(), "Deposited", Encoding.UTF8.GetBytes("""{"amount":1}"""));
}
