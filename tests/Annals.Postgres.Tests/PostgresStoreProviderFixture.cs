using Annals.Storage;
using Annals.Testing;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Makes providers over the test server's database from its connection string. A peer is a provider over a data
/// source of its own, as another process would have: the stores it opens take their connections, and their locks,
/// from that data source's pool.
/// </summary>
public sealed class PostgresStoreProviderFixture : IStoreProviderFixture, IAsyncLifetime
{
    private readonly List<NpgsqlDataSource> _dataSources = [];

    public Task<IEventStoreProvider> CreateProviderAsync() =>
        Task.FromResult<IEventStoreProvider>(new PostgresStoreProvider(new PostgresEventStoreOptions { ConnectionString = PostgresFixture.ConnectionString }));

    public Task<IEventStoreProvider> CreatePeerAsync(IEventStoreProvider provider)
    {
        var dataSource = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        lock (_dataSources)
        {
            _dataSources.Add(dataSource);
        }

        return Task.FromResult<IEventStoreProvider>(new PostgresStoreProvider(new PostgresEventStoreOptions { DataSource = dataSource }));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }
}
