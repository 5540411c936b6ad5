using System.Diagnostics;
using Annals.Leases;
using Annals.Testing;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// Makes each lease test the lease manager of a store in a schema of its own, and reads or waits
/// for the server's clock, which is the one leases lapse by.
/// </summary>
public sealed class PostgresLeaseFixture : ILeaseFixture, IAsyncLifetime
{
    private readonly List<PostgresEventStore> _stores = [];
    private NpgsqlDataSource? _clock;

    public async Task<ILeaseManager> CreateManagerAsync()
    {
        var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store.Leases;
    }

    public async Task<DateTimeOffset> GetNowAsync(ILeaseManager manager)
    {
        await using var command = _clock!.CreateCommand("SELECT now()");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetFieldValue<DateTimeOffset>(0);
    }

    public async Task WaitUntilAsync(ILeaseManager manager, DateTimeOffset instant)
    {
        var waited = Stopwatch.StartNew();
        var now = await GetNowAsync(manager);
        var limit = instant - now + TimeSpan.FromSeconds(10);
        while (now < instant)
        {
            Assert.True(waited.Elapsed < limit, $"The server's clock did not reach {instant:O} within {limit}; it says {now:O}.");
            await Task.Delay(TimeSpan.FromTicks(Math.Min((instant - now).Ticks, TimeSpan.FromMilliseconds(200).Ticks)) + TimeSpan.FromMilliseconds(1));
            now = await GetNowAsync(manager);
        }
    }

    public Task InitializeAsync()
    {
        _clock = NpgsqlDataSource.Create(PostgresFixture.ConnectionString);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_clock is not null)
        {
            await _clock.DisposeAsync();
        }
    }
}
