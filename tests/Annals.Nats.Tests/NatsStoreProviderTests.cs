using Annals.Storage;
using Xunit;

namespace Annals.Nats.Tests;

/// <summary>The named stores of one NATS server: made, listed, opened, updated and deleted with their stream and buckets.</summary>
public sealed class NatsStoreProviderTests
{
    private static NatsStoreProvider Provider() => new(new NatsEventStoreOptions { Connection = NatsFixture.Connection });

    [Fact]
    public async Task Create_exists_list_open_and_delete_round_trip_with_the_data()
    {
        await using var stores = Provider();
        var name = NatsFixture.NewStore();

        Assert.False(await stores.ExistsAsync(name));
        Assert.True(await stores.CreateAsync(name));
        Assert.False(await stores.CreateAsync(name));
        Assert.True(await stores.ExistsAsync(name));
        Assert.Contains(name, await stores.ListAsync().ToListAsync());

        await using (var store = await stores.OpenAsync(name, new StoreOpenOptions { CreateIfMissing = false }))
        {
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, EventData.FromText("Placed", "{}"));
        }

        await using (var again = await stores.OpenAsync(name))
        {
            Assert.Single(await again.ReadStreamAsync(StreamName.Parse("order.1")).ToListAsync());
        }

        Assert.True(await stores.DeleteAsync(name));
        Assert.False(await stores.ExistsAsync(name));
        Assert.DoesNotContain(name, await stores.ListAsync().ToListAsync());
        Assert.False(await stores.DeleteAsync(name));
        await using var fresh = await stores.OpenAsync(name);
        Assert.Empty(await fresh.ReadStreamAsync(StreamName.Parse("order.1")).ToListAsync());
        await stores.DeleteAsync(name);
    }

    [Fact]
    public async Task Opening_a_missing_store_without_create_fails_and_makes_nothing()
    {
        await using var stores = Provider();
        var name = NatsFixture.NewStore();

        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync(name, new StoreOpenOptions { CreateIfMissing = false }));

        Assert.False(await stores.ExistsAsync(name));
    }

    [Fact]
    public async Task An_exclusive_open_is_refused()
    {
        await using var stores = Provider();

        await Assert.ThrowsAsync<NotSupportedException>(async () => await stores.OpenAsync(NatsFixture.NewStore(), new StoreOpenOptions { Exclusive = true }));
    }

    [Fact]
    public async Task Update_keeps_the_data_and_a_missing_store_cannot_be_updated()
    {
        await using var stores = Provider();
        var name = NatsFixture.NewStore();
        await using (var store = await stores.OpenAsync(name))
        {
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, EventData.FromText("Placed", "{}"));
        }

        await stores.UpdateAsync(name, replicas: 1);

        await using (var store = await stores.OpenAsync(name, new StoreOpenOptions { CreateIfMissing = false }))
        {
            Assert.Single(await store.ReadStreamAsync(StreamName.Parse("order.1")).ToListAsync());
        }

        await Assert.ThrowsAsync<StoreNotFoundException>(() => stores.UpdateAsync(NatsFixture.NewStore(), replicas: 1));
        await stores.DeleteAsync(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Orders")]
    [InlineData("orders.eu")]
    [InlineData("orders>")]
    [InlineData("ord ers")]
    [InlineData("9orders")]
    public async Task Malformed_names_are_refused_before_the_server_is_asked(string name)
    {
        await using var stores = Provider();

        await Assert.ThrowsAsync<InvalidNameException>(async () => await stores.ExistsAsync(name));
        await Assert.ThrowsAsync<InvalidNameException>(async () => await stores.OpenAsync(name));
        await Assert.ThrowsAsync<InvalidNameException>(async () => await stores.DeleteAsync(name));
        await Assert.ThrowsAsync<InvalidNameException>(() => stores.UpdateAsync(name, 1));
    }
}
