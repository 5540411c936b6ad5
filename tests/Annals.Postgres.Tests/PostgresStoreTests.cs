using Annals.Storage;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>What only the PostgreSQL store has: its schema, concurrent start-up, server errors, several stores on one schema.</summary>
public sealed class PostgresStoreTests
{
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public async Task Processes_starting_together_create_the_schema_once()
    {
        var schema = PostgresFixture.NewSchema();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostgresFixture.OpenAsync(schema)));
        try
        {
            await stores[0].AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
            foreach (var store in stores)
            {
                Assert.Equal(1, await store.GetHeadPositionAsync());
            }

            Assert.Equal((long)PostgresSchema.CurrentVersion, await PostgresFixture.ScalarAsync($"SELECT count(*) FROM {schema}.schema_version"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_stores_on_one_schema_share_one_log_and_see_each_others_expectations()
    {
        var schema = PostgresFixture.NewSchema();
        await using var first = await PostgresFixture.OpenAsync(schema);
        await using var second = await PostgresFixture.OpenAsync(schema);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var subscription = second.SubscribeAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);
        var waiting = subscription.MoveNextAsync();

        await first.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await second.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened")));

        Assert.Equal(0, error.Actual);
        Assert.True(await waiting);
        Assert.Equal("Opened", subscription.Current.Type);
        var appended = await second.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));
        Assert.Equal(2, appended.LastPosition);
    }

    [Theory]
    [InlineData("Annals")]
    [InlineData("1st")]
    [InlineData("drop table x")]
    [InlineData("a-b")]
    public async Task An_invalid_schema_name_is_rejected_before_connecting(string schema)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1", Schema = schema }));

        Assert.Equal($"PostgresEventStoreOptions.Schema '{schema}' is invalid: use lowercase letters, digits and '_', starting with a letter or '_', at most 63 characters. (Parameter 'Schema')", error.Message);
    }

    [Theory]
    [InlineData("pg_catalog")]
    [InlineData("pg_temp")]
    [InlineData("pg_toast")]
    [InlineData("pg_annals")]
    [InlineData("information_schema")]
    public async Task A_schema_name_PostgreSQL_reserves_is_rejected_before_connecting(string schema)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1", Schema = schema }));

        Assert.Equal($"PostgresEventStoreOptions.Schema '{schema}' is invalid: it is reserved by PostgreSQL, which keeps names starting with 'pg_' and 'information_schema' for itself. (Parameter 'Schema')", error.Message);
        Assert.Equal("Schema", error.ParamName);
    }

    [Fact]
    public async Task An_unreachable_server_gives_StoreUnavailableException()
    {
        var options = new PostgresEventStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=x;Timeout=2", Schema = "unreachable" };

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await PostgresEventStore.OpenAsync(options));

        Assert.StartsWith("The PostgreSQL server of store 'unreachable' could not be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_from_a_newer_release_is_refused_with_a_clear_error()
    {
        var schema = PostgresFixture.NewSchema();
        await (await PostgresFixture.OpenAsync(schema)).DisposeAsync();
        await PostgresFixture.ScalarAsync($"INSERT INTO {schema}.schema_version (version) VALUES (99) RETURNING version");

        var error = await Assert.ThrowsAsync<AnnalsException>(async () => await PostgresFixture.OpenAsync(schema));

        Assert.Equal($"The schema '{schema}' has version 99, newer than this release of Annals understands ({PostgresSchema.CurrentVersion}); upgrade Annals to use it.", error.Message);
    }

    [Fact]
    public async Task A_damaged_row_gives_CorruptDataException_and_other_streams_still_read()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, Event("Placed"));
        await PostgresFixture.ScalarAsync($"UPDATE {schema}.events SET metadata = 'not json' WHERE stream = 'order.1' RETURNING position");

        var error = await Assert.ThrowsAsync<CorruptDataException>(async () => await store.ReadStreamAsync(StreamName.Parse("order.1")).ToListAsync());

        Assert.StartsWith("The event at position 2 cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Single(await store.ReadStreamAsync(Account).ToListAsync());
    }

    private static EventData Event(string type) => PostgresFixture.Event(type);

}
