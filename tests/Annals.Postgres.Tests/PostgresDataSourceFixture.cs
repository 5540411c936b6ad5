using Annals.Storage;
using Annals.Testing;
using Npgsql;

namespace Annals.Postgres.Tests;

/// <summary>Makes each conformance test a store in a schema of its own, on one data source of the caller's that every store shares and none disposes.</summary>
public sealed class PostgresDataSourceFixture : IEventStoreFixture
{
    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(PostgresFixture.ConnectionString));

    public async Task<IEventStore> CreateStoreAsync() => await PostgresDataSourceTests.OpenAsync(Shared.Value, PostgresFixture.NewSchema()).ConfigureAwait(false);
}
