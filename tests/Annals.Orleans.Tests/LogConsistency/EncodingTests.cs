using Annals.InMemory;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>What the provider asks of the types a grain raises, and what it can give back.</summary>
public sealed class EncodingTests
{
    [Fact]
    public async Task An_event_of_an_unregistered_type_fails_where_it_is_raised_and_is_not_queued()
    {
        await using var store = new InMemoryEventStore();
        var registry = new TypeRegistry().Register<Deposited>("Deposited").Register<LedgerState>("LedgerState");
        var ledger = await AdaptorHarness.Make(store, registry, "strict").ActivatedAsync();

        Assert.Throws<UnregisteredTypeException>(() => ledger.Submit(new Withdrawn(1)));
        Assert.Empty(ledger.UnconfirmedSuffix);

        await ledger.RaiseAndConfirmAsync(new Deposited(1));
        Assert.Equal(1, ledger.ConfirmedVersion);
    }

    [Fact]
    public async Task Confirmed_events_truncated_from_the_stream_cannot_be_retrieved_but_later_ones_can()
    {
        await using var store = new InMemoryEventStore();
        var registry = AdaptorHarness.Registry();
        var ledger = await AdaptorHarness.Make(store, registry, "cut", snapshotEvery: 2).ActivatedAsync();
        ledger.SubmitRange([new Deposited(1), new Deposited(2), new Deposited(3)]);
        await ledger.ConfirmSubmittedEntries();

        await store.CommitAsync(new CommitBatch().TruncateStream(StreamName.For("ledger", "cut"), beforeRevision: 2));

        await Assert.ThrowsAsync<NotSupportedException>(() => ledger.RetrieveLogSegment(0, 3));
        Assert.Equal([new Deposited(3)], await ledger.RetrieveLogSegment(2, 3));

        // The snapshot still holds what was truncated: a new activation recovers it all.
        var recovered = await AdaptorHarness.Make(store, registry, "cut", snapshotEvery: 2).ActivatedAsync();
        Assert.Equal((3, 6m), (recovered.ConfirmedVersion, recovered.ConfirmedView.Balance));
    }
}
