using Annals.Storage;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// A store on a data source of the caller's: it works as one built from a connection string (appends, reads, live
/// subscriptions woken by notifications, leases, its catalogue), leaves the data source open and its connections
/// clean when disposed, and refuses options and data sources it cannot work with, naming the option.
/// </summary>
public sealed class PostgresDataSourceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_store_on_a_callers_data_source_appends_reads_subscribes_and_leases()
    {
        var schema = PostgresFixture.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);

        // Polling is pushed out of the test's reach: the live event can only come through a notification.
        await using var store = await OpenAsync(dataSource, schema, o => o.PollInterval = TimeSpan.FromMinutes(10));
        await using var other = await PostgresFixture.OpenAsync(schema);
        await store.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        using var timeout = new CancellationTokenSource(Patience);
        await using var subscription = store.SubscribeAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        Assert.True(await subscription.MoveNextAsync());
        var waiting = subscription.MoveNextAsync();
        await WaitUntilListeningAsync(schema, 1);
        var appended = await other.AppendAsync(StreamName.Parse("account.2"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        Assert.True(await waiting);
        Assert.Equal(appended.LastPosition, subscription.Current.Position);
        Assert.Equal(["Opened"], await store.ReadStreamAsync(StreamName.Parse("account.2")).Select(e => e.Type).ToListAsync());
        var lease = await store.Leases.TryAcquireAsync("singleton", "owner-1", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);
        Assert.Equal("owner-1", (await other.Leases.ReadAsync("singleton"))?.Owner);
        var catalogue = await store.GetCatalogueAsync();
        Assert.Equal((2L, 2L, schema, (int?)PostgresSchema.CurrentVersion), (catalogue.Streams, catalogue.Events, catalogue.Location, catalogue.SchemaVersion));
    }

    [Fact]
    public async Task Disposing_the_store_leaves_the_callers_data_source_open_with_its_connections_no_longer_listening()
    {
        var schema = PostgresFixture.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        var store = await OpenAsync(dataSource, schema);
        await store.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        using (var cancel = new CancellationTokenSource(Patience))
        {
            var subscription = store.SubscribeAsync(cancellationToken: cancel.Token).GetAsyncEnumerator(cancel.Token);
            Assert.True(await subscription.MoveNextAsync());
            var waiting = subscription.MoveNextAsync().AsTask();
            await WaitUntilListeningAsync(schema, 1);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            await subscription.DisposeAsync();
        }

        await store.DisposeAsync();

        // The listener's connection went back to the caller's pool, where Npgsql resets it only when it is next used:
        // the store stopped listening and released the gate first, so no writer is told someone listens.
        Assert.Equal(0, await ListenersAsync(schema));
        Assert.Equal(1, await dataSource.CreateCommand("SELECT 1").ExecuteScalarAsync());
        await using var again = await OpenAsync(dataSource, schema);
        Assert.Equal(1, await again.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Stores_of_two_schemas_share_one_data_source()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        await using var first = await OpenAsync(dataSource, PostgresFixture.NewSchema());
        await using var second = await OpenAsync(dataSource, PostgresFixture.NewSchema());

        await first.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        await first.AppendAsync(StreamName.Parse("account.2"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        await second.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        Assert.Equal((2L, 1L), (await first.GetHeadPositionAsync(), await second.GetHeadPositionAsync()));
    }

    [Fact]
    public async Task Both_a_connection_string_and_a_data_source_are_refused_naming_both()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        var options = new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString, DataSource = dataSource };

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PostgresEventStore.OpenAsync(options));

        Assert.Equal("PostgresEventStoreOptions.ConnectionString and PostgresEventStoreOptions.DataSource are both set; set exactly one. (Parameter 'DataSource')", error.Message);
    }

    [Fact]
    public async Task Neither_a_connection_string_nor_a_data_source_is_refused_naming_both()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions()));

        Assert.Equal("PostgresEventStoreOptions.ConnectionString or PostgresEventStoreOptions.DataSource must be set. (Parameter 'ConnectionString')", error.Message);
    }

    [Fact]
    public async Task A_multiplexing_data_source_is_refused_because_it_cannot_listen()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString + ";Multiplexing=true");

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(dataSource, PostgresFixture.NewSchema()));

        Assert.Equal(
            "PostgresEventStoreOptions.DataSource cannot serve a store: it multiplexes (Multiplexing=true), and the store needs sessions of its own to listen for commits; turn multiplexing off. (Parameter 'options')",
            error.Message);
    }

    [Fact]
    public async Task A_multiplexing_connection_string_is_refused_because_it_cannot_listen()
    {
        var options = new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString + ";Multiplexing=true", Schema = PostgresFixture.NewSchema() };

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PostgresEventStore.OpenAsync(options));

        Assert.StartsWith("PostgresEventStoreOptions.ConnectionString cannot serve a store: it multiplexes (Multiplexing=true)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_source_with_a_pool_smaller_than_the_store_holds_is_refused()
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(PostgresFixture.ConnectionString) { MaxPoolSize = 2 });

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await OpenAsync(dataSource, PostgresFixture.NewSchema()));

        Assert.Equal(
            "PostgresEventStoreOptions.DataSource cannot serve a store: its pool holds at most 2 connections (Max Pool Size), and the store holds three while open (its writer's, its listener's and its lock's) and reads on others; allow at least 4. (Parameter 'options')",
            error.Message);
    }

    [Fact]
    public async Task A_data_source_without_pooling_serves_a_store()
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString + ";Pooling=false");
        await using var store = await OpenAsync(dataSource, PostgresFixture.NewSchema());

        var appended = await store.AppendAsync(StreamName.Parse("account.1"), ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        Assert.Equal(1, appended.LastPosition);
    }

    [Fact]
    public async Task A_data_source_built_with_a_password_serves_a_store_though_its_connection_string_leaves_the_password_out()
    {
        // The store reads the data source's settings only; it never builds connections from its connection string.
        var builder = new NpgsqlDataSourceBuilder(PostgresFixture.ConnectionString) { ConnectionStringBuilder = { Password = "not-needed-by-trust" } };
        await using var dataSource = builder.Build();
        Assert.DoesNotContain("not-needed-by-trust", dataSource.ConnectionString, StringComparison.Ordinal);

        await using var store = await OpenAsync(dataSource, PostgresFixture.NewSchema());

        Assert.Equal(0, await store.GetHeadPositionAsync());
    }

    internal static async Task<PostgresEventStore> OpenAsync(NpgsqlDataSource dataSource, string schema, Action<PostgresEventStoreOptions>? configure = null)
    {
        var options = new PostgresEventStoreOptions { DataSource = dataSource, Schema = schema };
        configure?.Invoke(options);
        return await PostgresEventStore.OpenAsync(options);
    }

    private static async Task<long> ListenersAsync(string schema) =>
        (long)(await PostgresFixture.ScalarAsync(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {ListenerGate.Space} AND objid = hashtext($1)::oid AND mode = 'ShareLock' AND granted",
            PostgresEventStore.Channel(schema)))!;

    private static async Task WaitUntilListeningAsync(string schema, long count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (await ListenersAsync(schema) != count)
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the store to listen");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
