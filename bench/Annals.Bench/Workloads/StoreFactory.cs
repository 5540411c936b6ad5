using Annals.Bench.Data;
using Annals.InMemory;
using Annals.Nats;
using Annals.Postgres;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>Opens the store under test, with its default options but the durability asked for.</summary>
internal static class StoreFactory
{
    public static async Task<IEventStore> OpenAsync(BenchSettings settings, BenchDatabase database, CancellationToken cancellationToken)
    {
        if (settings.Backend == "memory")
        {
            return new InMemoryEventStore();
        }

        if (settings.IsPostgres)
        {
            return await PostgresEventStore.OpenAsync(
                new PostgresEventStoreOptions { ConnectionString = database.ConnectionString, Schema = database.Schema },
                cancellationToken);
        }

        if (settings.IsNats)
        {
            return await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Url = database.NatsUrl, Store = database.Schema }, cancellationToken);
        }

        return await SqliteEventStore.OpenAsync(
            new SqliteEventStoreOptions
            {
                Path = database.Path,
                Durability = settings.IsDurable ? SqliteDurability.Full : SqliteDurability.RelaxedOnPowerLoss,
            },
            cancellationToken);
    }

    /// <summary>Whether reopening the store starts it cold, as a starting process would (not so for memory).</summary>
    public static bool ReopensCold(IEventStore store) => store is SqliteEventStore or PostgresEventStore or NatsEventStore;
}
