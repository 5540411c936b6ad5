using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a store reports its own catalogue (<see cref="IStoreCatalogueReader"/>): an empty store counts nothing,
/// every kind of record is counted as the storage contract defines it (deleted streams and removed events are not,
/// the head position keeps the highest position ever assigned), and the counts follow each commit.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class CatalogueConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly DateTimeOffset Due = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected CatalogueConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>The catalogue of an empty store counts nothing and names the backend and where the store is.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Catalogue_of_an_empty_store_counts_nothing()
    {
        await using var store = await NewStoreAsync();

        var catalogue = await Catalogue(store);

        Assert.False(string.IsNullOrWhiteSpace(catalogue.Backend));
        Assert.False(string.IsNullOrWhiteSpace(catalogue.Location));
        Assert.True(catalogue.SchemaVersion is null or > 0, $"A schema version is positive when there is one, not {catalogue.SchemaVersion}.");
        Assert.Equal(
            (0L, 0L, 0L, 0L, 0L, 0L, 0L),
            (catalogue.Streams, catalogue.Events, catalogue.HeadPosition, catalogue.Snapshots, catalogue.States, catalogue.Checkpoints, catalogue.QueueMessages));
    }

    /// <summary>Every kind of record is counted; a deleted stream and truncated events are not, while the head keeps their positions.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Catalogue_counts_every_kind_of_record_and_leaves_out_removed_ones()
    {
        await using var store = await NewStoreAsync();
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(S("order.1"), ExpectedRevision.NoStream, NewEvents(3))
            .Append(S("order.2"), ExpectedRevision.NoStream, NewEvents(2))
            .Append(S("cart.1"), ExpectedRevision.NoStream, NewEvents(1))
            .SaveSnapshot(S("order.1"), 2, "Order", Text("{}"))
            .SaveState(S("counter.1"), 1, "Counter", Text("{}"))
            .SaveState(S("counter.2"), 1, "Counter", Text("{}"))
            .SaveCheckpoint("projection", 6, expectedPosition: null)
            .Enqueue("jobs", Guid.NewGuid(), "Job", Text("{}"), Due)
            .Enqueue("jobs", Guid.NewGuid(), "Job", Text("{}"), Due)
            .Enqueue("timeouts", Guid.NewGuid(), "Timeout", Text("{}"), Due));

        var before = await Catalogue(store);
        var head = (await ReadAllAsync(store))[^1].Position;

        Assert.Equal(
            (3L, 6L, head, 1L, 2L, 1L, 3L),
            (before.Streams, before.Events, before.HeadPosition, before.Snapshots, before.States, before.Checkpoints, before.QueueMessages));

        await store.CommitWholeOrInPartsAsync(new CommitBatch().DeleteStream(S("cart.1")).TruncateStream(S("order.1"), 2));

        var after = await Catalogue(store);

        Assert.Equal((2L, 3L, head), (after.Streams, after.Events, after.HeadPosition));
        Assert.Equal(before.SchemaVersion, after.SchemaVersion);
        Assert.Equal((before.Backend, before.Location), (after.Backend, after.Location));
    }

    /// <summary>The catalogue agrees with what the store reads: its head and its list of streams.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Catalogue_agrees_with_the_head_and_the_stream_list()
    {
        await using var store = await NewStoreAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(S($"item.{i}"), ExpectedRevision.NoStream, NewEvents(i + 1));
        }

        var catalogue = await Catalogue(store);

        Assert.Equal(await store.GetHeadPositionAsync(), catalogue.HeadPosition);
        Assert.Equal(await store.ListStreamsAsync().CountAsync(), catalogue.Streams);
        Assert.Equal(await store.ReadAllAsync().CountAsync(), catalogue.Events);
    }

    /// <summary>A disposed store refuses to report.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Catalogue_of_a_disposed_store_throws_ObjectDisposedException()
    {
        var store = await NewStoreAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await Catalogue(store));
    }

    private static ValueTask<StoreCatalogue> Catalogue(IEventStore store) =>
        Assert.IsAssignableFrom<IStoreCatalogueReader>(store).GetCatalogueAsync();
}
