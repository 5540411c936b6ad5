using Annals.InMemory;
using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>
/// Two activations of one grain writing to its stream at once, as a silo has in rare failures: the log never forks.
/// Each adaptor stands for one activation.
/// </summary>
public sealed class DuplicateActivationTests
{
    [Fact]
    public async Task A_stale_activation_reads_the_other_ones_events_and_appends_after_them()
    {
        await using var store = new InMemoryEventStore();
        var registry = AdaptorHarness.Registry();
        var first = await AdaptorHarness.Make(store, registry, "dup").ActivatedAsync();
        var second = await AdaptorHarness.Make(store, registry, "dup").ActivatedAsync();

        await first.RaiseAndConfirmAsync(new Deposited(1));
        Assert.Equal(0, second.ConfirmedVersion);

        // The second expects the stream empty, finds it moved on, reads it and appends after.
        await second.RaiseAndConfirmAsync(new Deposited(2));
        Assert.Equal(2, second.ConfirmedVersion);
        Assert.Equal(3, second.ConfirmedView.Balance);

        var stream = StreamName.For("ledger", "dup");
        Assert.Equal(["Deposited", "Deposited"], (await store.ReadStreamAsync(stream).ToListAsync()).Select(e => e.Type));

        // A conditional event raised on a stale view fails, as Orleans promises, and nothing is stored.
        await first.Synchronize();
        await first.RaiseAndConfirmAsync(new Deposited(10));
        Assert.False(await second.TryAppend(new Withdrawn(1)));
        Assert.Equal(3, second.ConfirmedVersion);
        Assert.Equal(13, second.ConfirmedView.Balance);
        Assert.Equal(3, (await store.ReadStreamAsync(stream).ToListAsync()).Count);
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Two_activations_appending_at_once_make_one_log_with_every_event_once(string backend)
    {
        using var folder = new TempFolder();
        await using IEventStore store = backend == "sqlite"
            ? await SqliteEventStore.OpenAsync(Path.Combine(folder.Path, "ledger.db"))
            : new InMemoryEventStore();
        var registry = AdaptorHarness.Registry();
        var first = await AdaptorHarness.Make(store, registry, "race", snapshotEvery: 4).ActivatedAsync();
        var second = await AdaptorHarness.Make(store, registry, "race", snapshotEvery: 4).ActivatedAsync();

        const int each = 15;
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < each; i++)
                {
                    await first.RaiseAndConfirmAsync(new Deposited(1));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < each; i++)
                {
                    await second.RaiseAndConfirmAsync(new Deposited(100));
                }
            }));

        var stored = await store.ReadStreamAsync(StreamName.For("ledger", "race")).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 2 * each).Select(i => (long)i), stored.Select(e => e.Revision));
        Assert.Equal(2 * each, stored.Select(e => e.EventId).Distinct().Count());

        foreach (var adaptor in new[] { first, second })
        {
            await adaptor.Synchronize();
            Assert.Equal(2 * each, adaptor.ConfirmedVersion);
            Assert.Equal(each * 101, adaptor.ConfirmedView.Balance);
        }

        // Whichever activation saved the last snapshot, a third one recovers the same state from it.
        var third = await AdaptorHarness.Make(store, registry, "race", snapshotEvery: 4).ActivatedAsync();
        Assert.Equal((2 * each, each * 101m), (third.ConfirmedVersion, third.ConfirmedView.Balance));
    }
}
