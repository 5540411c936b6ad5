using Annals.InMemory;
using Annals.Orleans.LogConsistency;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>Appends whose outcome was lost: each event ends up stored once, whenever the first attempt lands.</summary>
public sealed class RetryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task An_attempt_that_lands_late_is_recognised_by_the_store_when_it_is_sent_again()
    {
        var store = new FaultyStore(new InMemoryEventStore());
        var host = new LedgerHost();
        var ledger = await AdaptorHarness.Make(store, AdaptorHarness.Registry(), "late", host: host).ActivatedAsync();
        await ledger.RaiseAndConfirmAsync(new Deposited(1));

        // The append fails before the store has it; it lands just before the adaptor sends it again, with the same ids
        // at the same revision, which the store answers as the append it already holds.
        var held = store.HoldNextCommit("ledger");
        ledger.Submit(new Deposited(2));
        var confirmed = ledger.ConfirmSubmittedEntries();
        await held.WaitAsync(Bound);
        store.ReleaseHeld();
        await confirmed.WaitAsync(Bound);

        var stored = await store.ReadStreamAsync(StreamName.For("ledger", "late")).ToListAsync();
        Assert.Equal([0L, 1], stored.Select(e => e.Revision));
        Assert.Equal((2, 3m), (ledger.ConfirmedVersion, ledger.ConfirmedView.Balance));
        Assert.IsType<AnnalsLogWriteFailed>(Assert.Single(host.Issues));
    }

    [Fact]
    public async Task Events_raised_while_an_attempt_was_lost_are_appended_after_it_and_it_is_not_stored_twice()
    {
        var store = new FaultyStore(new InMemoryEventStore());
        var ledger = await AdaptorHarness.Make(store, AdaptorHarness.Registry(), "grown").ActivatedAsync();

        var held = store.HoldNextCommit("ledger");
        ledger.Submit(new Deposited(1));
        var confirmed = ledger.ConfirmSubmittedEntries();
        await held.WaitAsync(Bound);

        // Raised while the first attempt is on its way: the next attempt sends both, while the first lands on its own.
        // The store refuses a batch holding ids some of which it has; reading the stream shows which.
        ledger.Submit(new Deposited(2));
        store.ReleaseHeld();
        await confirmed.WaitAsync(Bound);
        await ledger.ConfirmSubmittedEntries().WaitAsync(Bound);

        var stored = await store.ReadStreamAsync(StreamName.For("ledger", "grown")).ToListAsync();
        Assert.Equal([0L, 1], stored.Select(e => e.Revision));
        Assert.Equal(2, stored.Select(e => e.EventId).Distinct().Count());
        Assert.Equal((2, 3m), (ledger.ConfirmedVersion, ledger.ConfirmedView.Balance));
        Assert.Empty(ledger.UnconfirmedSuffix);
    }
}
