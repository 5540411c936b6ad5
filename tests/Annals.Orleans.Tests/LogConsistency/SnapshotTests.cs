using Annals.InMemory;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>Snapshots of a journaled grain's state: when they are saved, and how recovery uses them.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public async Task On_a_store_that_commits_events_and_records_apart_the_snapshot_follows_its_events()
    {
        var store = new FaultyStore(new InMemoryEventStore())
        {
            Capabilities = StoreCapabilities.Complete with { AtomicEventsWithRecords = false, AtomicAcrossRecords = false, AtomicAcrossStreams = false },
        };
        var registry = AdaptorHarness.Registry();
        var ledger = await AdaptorHarness.Make(store, registry, "apart", snapshotEvery: 2).ActivatedAsync();

        ledger.SubmitRange([new Deposited(1), new Deposited(2), new Deposited(3)]);
        await ledger.ConfirmSubmittedEntries();

        var stream = StreamName.For("ledger", "apart");
        var snapshot = await store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(2, snapshot.Revision);
        Assert.True(new EventCodec(registry).TryDecodeState<LedgerState>(snapshot.Type, snapshot.Data, out var state, out _));
        Assert.Equal((6m, 3), (state.Balance, state.Entries));

        // A new activation starts from the snapshot and reads the events after it: none yet.
        var recovered = await AdaptorHarness.Make(store, registry, "apart", snapshotEvery: 2).ActivatedAsync();
        Assert.Equal((3, 6m), (recovered.ConfirmedVersion, recovered.ConfirmedView.Balance));
        Assert.Equal(3, store.ReadsOf(stream).Last());

        await recovered.RaiseAndConfirmAsync(new Deposited(4));
        Assert.Equal(3, (await store.ReadSnapshotAsync(stream))!.Revision);
    }

    [Fact]
    public async Task A_snapshot_of_another_state_version_is_skipped_and_the_events_are_read_from_the_start()
    {
        await using var store = new InMemoryEventStore();
        var ledger = await AdaptorHarness.Make(store, AdaptorHarness.Registry(), "versioned", snapshotEvery: 2).ActivatedAsync();
        ledger.SubmitRange([new Deposited(1), new Deposited(2)]);
        await ledger.ConfirmSubmittedEntries();
        Assert.NotNull(await store.ReadSnapshotAsync(StreamName.For("ledger", "versioned")));

        var changed = new TypeRegistry().Register<Deposited>("Deposited").Register<Withdrawn>("Withdrawn").Register<LedgerState>("LedgerState", schemaVersion: 2);
        var recovered = await AdaptorHarness.Make(store, changed, "versioned", snapshotEvery: 2).ActivatedAsync();
        Assert.Equal((2, 3m), (recovered.ConfirmedVersion, recovered.ConfirmedView.Balance));
    }

    [Fact]
    public async Task With_snapshots_on_the_state_type_must_be_registered()
    {
        await using var store = new InMemoryEventStore();
        var withoutState = new TypeRegistry().Register<Deposited>("Deposited");

        var refused = Assert.Throws<InvalidOperationException>(() => AdaptorHarness.Make(store, withoutState, "x", snapshotEvery: 10));
        Assert.Contains(typeof(LedgerState).FullName!, refused.Message, StringComparison.Ordinal);

        var ledger = await AdaptorHarness.Make(store, withoutState, "x", snapshotEvery: 0).ActivatedAsync();
        await ledger.RaiseAndConfirmAsync(new Deposited(5));
        Assert.Equal(1, ledger.ConfirmedVersion);
    }
}
