using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Annals.Storage;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// The lock every PostgreSQL store holds on its schema: its documented key, exclusive opens without a provider and
/// across data sources, and what a store does when the lock's session ends under it.
/// </summary>
public sealed class PostgresStoreLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public void The_lock_key_is_the_first_8_bytes_of_the_sha256_of_the_schema_name_read_big_endian()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("annals.store:orders"));

        Assert.Equal(BinaryPrimitives.ReadInt64BigEndian(hash), PostgresEventStore.GetLockKey("orders"));
        Assert.NotEqual(PostgresEventStore.GetLockKey("orders"), PostgresEventStore.GetLockKey("order"));
    }

    [Fact]
    public async Task An_open_store_shows_its_lock_in_pg_locks_under_the_documented_key()
    {
        var schema = PostgresFixture.NewSchema();
        await using var shared = await PostgresFixture.OpenAsync(schema);
        await using var alsoShared = await PostgresFixture.OpenAsync(schema);

        Assert.Equal(["ShareLock", "ShareLock"], await LockModesAsync(schema));

        await shared.DisposeAsync();
        await alsoShared.DisposeAsync();
        Assert.Empty(await LockModesAsync(schema));

        await using var exclusive = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true);
        Assert.True(exclusive.IsExclusive);
        Assert.Equal(["ExclusiveLock"], await LockModesAsync(schema));
    }

    [Fact]
    public async Task An_exclusive_open_without_a_provider_keeps_out_stores_of_another_data_source_and_names_its_backend()
    {
        var schema = PostgresFixture.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        await using var owner = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true);
        await owner.AppendAsync(Account, ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        var shared = await Assert.ThrowsAsync<StoreLockedException>(async () => await OpenOnAsync(dataSource, schema, exclusive: false));
        var exclusive = await Assert.ThrowsAsync<StoreLockedException>(async () => await OpenOnAsync(dataSource, schema, exclusive: true));

        Assert.Equal(schema, shared.Resource);
        Assert.Contains($"backend {owner.StoreLock.ProcessId} (exclusive", shared.Message, StringComparison.Ordinal);
        Assert.StartsWith($"The store in schema '{schema}' cannot be opened exclusively: it is open elsewhere", exclusive.Message, StringComparison.Ordinal);

        // The refused opens took nothing: once the owner is gone, the other data source's store opens exclusively and reads what it wrote.
        await owner.DisposeAsync();
        await using var next = await OpenOnAsync(dataSource, schema, exclusive: true);
        Assert.Equal(1, await next.GetHeadPositionAsync());
    }

    [Fact]
    public async Task A_store_disposed_on_a_callers_data_source_leaves_no_lock_in_its_pool()
    {
        var schema = PostgresFixture.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);

        await (await OpenOnAsync(dataSource, schema, exclusive: true)).DisposeAsync();

        Assert.Empty(await LockModesAsync(schema));
        await using var other = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true);
    }

    [Fact]
    public async Task An_exclusive_store_whose_lock_session_ends_refuses_to_commit_and_lets_another_opener_in()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true);
        await store.AppendAsync(Account, ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));
        var lost = store.StoreLock.WhenLost;

        await TerminateAsync(store.StoreLock.ProcessId);
        await lost.WaitAsync(Patience);

        var error = await Assert.ThrowsAsync<StoreLockLostException>(async () => await store.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited")));
        Assert.Equal(schema, error.Store);
        Assert.Contains("Dispose this store and open it again", error.Message, StringComparison.Ordinal);

        // Reads go on; the schema is free for another opener, which sees nothing the lost store tried to write.
        Assert.Equal(1, await store.GetHeadPositionAsync());
        await using (var next = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true))
        {
            await next.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Closed"));
        }

        await Assert.ThrowsAsync<StoreLockLostException>(async () => await store.AppendAsync(Account, ExpectedRevision.Any, PostgresFixture.Event("Deposited")));
    }

    [Fact]
    public async Task A_shared_store_whose_lock_session_ends_takes_it_again_unless_an_exclusive_opener_got_in()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        var first = store.StoreLock.ProcessId;
        var lost = store.StoreLock.WhenLost;

        await TerminateAsync(first);
        await lost.WaitAsync(Patience);
        await store.AppendAsync(Account, ExpectedRevision.NoStream, PostgresFixture.Event("Opened"));

        Assert.NotEqual(first, store.StoreLock.ProcessId);
        Assert.Equal(["ShareLock"], await LockModesAsync(schema));

        lost = store.StoreLock.WhenLost;
        await TerminateAsync(store.StoreLock.ProcessId);
        await lost.WaitAsync(Patience);
        await using (var exclusive = await PostgresFixture.OpenAsync(schema, o => o.Exclusive = true))
        {
            var refused = await Assert.ThrowsAsync<StoreLockLostException>(async () => await store.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited")));
            Assert.Contains("cannot take it again", refused.Message, StringComparison.Ordinal);
            Assert.Equal(1, await exclusive.GetHeadPositionAsync());
        }

        await store.AppendAsync(Account, ExpectedRevision.Exact(0), PostgresFixture.Event("Deposited"));
        Assert.Equal(2, await store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Open_and_delete_of_a_store_refuse_a_schema_holding_other_tables_and_leave_it()
    {
        var schema = PostgresFixture.NewSchema();
        await PostgresFixture.ScalarAsync($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.customers (id int); INSERT INTO {schema}.customers VALUES (1);");
        await using var stores = new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString });

        Assert.False(await stores.ExistsAsync(schema));
        Assert.DoesNotContain(schema, await stores.ListAsync().ToListAsync());
        await Assert.ThrowsAsync<AnnalsException>(async () => await stores.CreateAsync(schema));
        await Assert.ThrowsAsync<AnnalsException>(async () => await stores.OpenAsync(schema));
        await Assert.ThrowsAsync<AnnalsException>(async () => await stores.DeleteAsync(schema));

        Assert.Equal(1L, await PostgresFixture.ScalarAsync($"SELECT count(*) FROM {schema}.customers"));
        Assert.Equal(true, await PostgresFixture.ScalarAsync($"SELECT to_regclass('{schema}.schema_version') IS NULL"));
        await PostgresFixture.ScalarAsync($"DROP SCHEMA {schema} CASCADE");
    }

    [Fact]
    public async Task An_empty_schema_made_beforehand_becomes_a_store_and_deleting_it_drops_the_schema()
    {
        var schema = PostgresFixture.NewSchema();
        await PostgresFixture.ScalarAsync($"CREATE SCHEMA {schema}");
        await using var stores = new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString });

        Assert.False(await stores.ExistsAsync(schema));
        Assert.True(await stores.CreateAsync(schema));
        Assert.True(await stores.DeleteAsync(schema));

        Assert.False((bool)(await PostgresFixture.ScalarAsync("SELECT EXISTS (SELECT FROM pg_namespace WHERE nspname = $1)", schema))!);
    }

    [Fact]
    public async Task Stores_created_together_are_created_once()
    {
        var schema = PostgresFixture.NewSchema();
        await using var stores = new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString });

        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => stores.CreateAsync(schema).AsTask()));

        Assert.Single(created, c => c);
        Assert.True(await stores.DeleteAsync(schema));
    }

    private static async Task<PostgresEventStore> OpenOnAsync(NpgsqlDataSource dataSource, string schema, bool exclusive) =>
        await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { DataSource = dataSource, Schema = schema, Exclusive = exclusive });

    private static async Task TerminateAsync(int processId) =>
        Assert.True((bool)(await PostgresFixture.ScalarAsync("SELECT pg_terminate_backend($1)", processId))!);

    /// <summary>The modes of the granted advisory locks under the schema's key, found by the key as the documentation derives it.</summary>
    private static async Task<List<string>> LockModesAsync(string schema)
    {
        var key = (ulong)BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("annals.store:" + schema)));
        await using var command = PostgresFixture.DataSource.CreateCommand(
            "SELECT mode FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = $1 AND objid::bigint = $2 AND objsubid = 1 AND granted ORDER BY pid");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)(key >> 32) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = (long)(key & 0xFFFF_FFFF) });
        var modes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            modes.Add(reader.GetString(0));
        }

        return modes;
    }
}
