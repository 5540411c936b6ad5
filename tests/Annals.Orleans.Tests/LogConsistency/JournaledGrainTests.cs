using Annals.Orleans.LogConsistency;
using Annals.Serialization;
using Annals.Storage;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>Journaled grains in a silo, keeping their logs in Annals streams through the provider.</summary>
public sealed class JournaledGrainTests(LedgerCluster fixture) : IClassFixture<LedgerCluster>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Confirmed_events_are_stored_in_the_grains_stream_as_registered_event_types()
    {
        var key = NewKey();
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(key);

        Assert.Equal(1, await ledger.Deposit(10));
        Assert.Equal(3, await ledger.DepositAll([5, 7]));
        Assert.True(await ledger.TryWithdraw(4));
        Assert.Equal(new LedgerView(18, 4, 4), await ledger.Read());

        var stream = StreamName.For("ledger", key);
        var stored = await ReadStreamAsync(stream);
        Assert.Equal(["Deposited", "Deposited", "Deposited", "Withdrawn"], stored.Select(e => e.Type));
        Assert.Equal([0L, 1, 2, 3], stored.Select(e => e.Revision));
        var codec = new EventCodec(fixture.Registry);
        Assert.Equal<object>([new Deposited(10), new Deposited(5), new Deposited(7), new Withdrawn(4)], stored.Select(e => codec.Decode(e).Single()));

        // Readers of the whole log see them like any other events, through a filter on the stream.
        var filter = EventFilter.Parse($"ledger.{key}");
        var all = new List<RecordedEvent>();
        await foreach (var e in fixture.Store.ReadAllAsync(0, filter))
        {
            all.Add(e);
        }

        Assert.Equal(stored.Select(e => e.EventId), all.Select(e => e.EventId));

        // And so does a live subscription.
        using var cancel = new CancellationTokenSource(Bound);
        var seen = new List<RecordedEvent>();
        await foreach (var e in fixture.Store.SubscribeAsync(0, EventFilter.Parse($"ledger.{key}.Withdrawn"), cancel.Token))
        {
            seen.Add(e);
            break;
        }

        Assert.Equal(3, Assert.Single(seen).Revision);
    }

    [Fact]
    public async Task A_grain_class_naming_no_category_has_its_grain_types_streams()
    {
        var tally = fixture.Grains.GetGrain<ITallyGrain>(42);
        Assert.Equal(3, await tally.Count(3));
        Assert.Equal(5, await tally.Count(2));

        var stream = AnnalsGrainStreams.For(tally.GetGrainId(), typeof(TallyGrain));
        Assert.Equal("tally", stream.Category);
        var stored = await ReadStreamAsync(stream);
        Assert.Equal(["Counted", "Counted"], stored.Select(e => e.Type));
    }

    [Fact]
    public async Task A_reactivated_grain_recovers_from_its_snapshot_and_reads_only_the_later_events()
    {
        var key = NewKey();
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(key);
        for (var i = 1; i <= 7; i++)
        {
            Assert.Equal(i, await ledger.Deposit(i));
        }

        // The fifth event passed a multiple of SnapshotEvery: the state after it was saved with it.
        var stream = StreamName.For("ledger", key);
        var snapshot = await fixture.Store.ReadSnapshotAsync(stream);
        Assert.NotNull(snapshot);
        Assert.Equal(LedgerCluster.SnapshotEvery - 1, snapshot.Revision);
        Assert.True(new EventCodec(fixture.Registry).TryDecodeState<LedgerState>(snapshot.Type, snapshot.Data, out var saved, out _));
        Assert.Equal(15, saved.Balance);

        await fixture.Cluster.DeactivateAsync(ledger.GetGrainId());
        var readsBefore = fixture.Store.ReadsOf(stream).Count;

        Assert.Equal(new LedgerView(28, 7, 7), await ledger.Read());
        Assert.Equal([LedgerCluster.SnapshotEvery], fixture.Store.ReadsOf(stream).Skip(readsBefore));

        // The events before the snapshot are still there for whoever asks for them.
        Assert.Equal([1m, 2, 3, 4, 5, 6, 7], await ledger.Amounts(0, 7));
        Assert.Equal(8, await ledger.Deposit(8));
    }

    [Fact]
    public async Task RetrieveConfirmedEvents_reads_the_range_of_versions_asked_for()
    {
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(NewKey());
        await ledger.DepositAll([1, 2, 3]);
        Assert.True(await ledger.TryWithdraw(4));

        Assert.Equal([1m, 2, 3, -4], await ledger.Amounts(0, 4));
        Assert.Equal([2m, 3], await ledger.Amounts(1, 3));
        Assert.Equal([-4m], await ledger.Amounts(3, 4));
        Assert.Empty(await ledger.Amounts(2, 2));
    }

    [Fact]
    public async Task An_append_whose_outcome_was_lost_is_confirmed_from_the_stream_and_not_stored_again()
    {
        var key = NewKey();
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(key);
        Assert.Equal(1, await ledger.Deposit(1));

        // The store commits the next append, then throws as if the connection broke before the answer came back.
        fixture.Store.LoseOutcomes("ledger", 1);
        Assert.Equal(3, await ledger.DepositAll([2, 3]));

        var stream = StreamName.For("ledger", key);
        var stored = await ReadStreamAsync(stream);
        Assert.Equal([0L, 1, 2], stored.Select(e => e.Revision));
        Assert.Equal(3, stored.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(new LedgerView(6, 3, 3), await ledger.Read());
        Assert.Contains(nameof(AnnalsLogWriteFailed), await ledger.Issues());

        // Sending those events again with their ids, at the revision they were first appended at, stores nothing and
        // answers where they are: what an append retried after a lost outcome meets.
        var again = stored.Skip(1).Select(e => new EventData(e.EventId, e.Type, e.Data, e.Metadata)).ToList();
        var replay = await fixture.Store.Inner.CommitAsync(new CommitBatch().Append(stream, ExpectedRevision.Exact(0), again));
        Assert.Equal((1L, 2L), (replay.Appends[0].FirstRevision, replay.Appends[0].LastRevision));
        Assert.Equal(3, (await ReadStreamAsync(stream)).Count);

        Assert.Equal(4, await ledger.Deposit(4));
    }

    [Fact]
    public async Task An_append_that_failed_is_sent_again_and_stored_once()
    {
        var key = NewKey();
        var ledger = fixture.Grains.GetGrain<ILedgerGrain>(key);
        Assert.Equal(1, await ledger.Deposit(1));

        fixture.Store.FailCommits("ledger", 2);
        Assert.Equal(2, await ledger.Deposit(2));

        var stored = await ReadStreamAsync(StreamName.For("ledger", key));
        Assert.Equal(["Deposited", "Deposited"], stored.Select(e => e.Type));
        Assert.Equal(new LedgerView(3, 2, 2), await ledger.Read());
    }

    // Past the faulty store, so that the test's own reads are not counted among the grain's.
    private ValueTask<List<RecordedEvent>> ReadStreamAsync(StreamName stream) => fixture.Store.Inner.ReadStreamAsync(stream).ToListAsync();

    private static string NewKey() => Guid.NewGuid().ToString("N");
}
