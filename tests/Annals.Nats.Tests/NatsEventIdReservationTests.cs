using Annals.Storage;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;
using Xunit;

namespace Annals.Nats.Tests;

/// <summary>
/// A commit reserves its event ids (one key each in the store's ids bucket) before it publishes: a commit that fails gives
/// back what it reserved in all its attempts, and a commit that is stored keeps them.
/// </summary>
public sealed class NatsEventIdReservationTests
{
    [Fact]
    public async Task A_commit_that_loses_its_race_after_a_retry_gives_back_its_event_ids()
    {
        var name = NatsFixture.NewStore();
        await using var first = await NatsFixture.OpenAsync(name);
        await using var second = await NatsFixture.OpenAsync(name);
        var stream = StreamName.For("acct", "1");
        await first.AppendAsync(stream, ExpectedRevision.NoStream, EventData.FromText("Opened", "{}"));

        // The second store moves the stream on, so the first store's cached head is behind: its commit expecting
        // revision 0 is published on that head, refused by the server, decided again on the server's head, and lost.
        await second.AppendAsync(stream, ExpectedRevision.Exact(0), EventData.FromText("Deposited", "{}"));
        var lost = EventData.FromText("Deposited", "{}");
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await first.AppendAsync(stream, ExpectedRevision.Exact(0), lost));

        var stored = await first.ReadAllAsync().ToListAsync();
        Assert.Equal(stored.Select(e => NatsKeys.IdKey(e.EventId)).Order(StringComparer.Ordinal), await ReservedAsync(name));

        // The id is free for another stream at once.
        var elsewhere = await first.AppendAsync(StreamName.For("acct", "2"), ExpectedRevision.NoStream, lost);
        Assert.Equal(0, elsewhere.FirstRevision);
        Assert.Equal(stored.Count + 1, await first.ReadAllAsync().CountAsync());
    }

    private static async Task<List<string>> ReservedAsync(string store)
    {
        var ids = await new NatsKVContext(new NatsJSContext(NatsFixture.Connection)).GetStoreAsync(new NatsStoreLayout(store).Bucket("ids"));
        var keys = new List<string>();
        await foreach (var key in ids.GetKeysAsync())
        {
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }
}
