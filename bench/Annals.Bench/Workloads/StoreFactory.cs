using Annals.Bench.Data;
using Annals.InMemory;
using Annals.Sqlite;

namespace Annals.Bench.Workloads;

/// <summary>Opens the store under test, with its default options but the durability asked for.</summary>
internal static class StoreFactory
{
    public static async Task<IEventStore> OpenAsync(BenchSettings settings, BenchDatabase database, CancellationToken cancellationToken)
    {
        if (settings.Store == "memory")
        {
            return new InMemoryEventStore();
        }

        return await SqliteEventStore.OpenAsync(
            new SqliteEventStoreOptions
            {
                Path = database.Path,
                Durability = settings.IsDurable ? SqliteDurability.Full : SqliteDurability.RelaxedOnPowerLoss,
            },
            cancellationToken);
    }
}
