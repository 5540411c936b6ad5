using Annals.Bench.Accounts;
using Annals.Entities;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Bench.Entities;

/// <summary>The engine the entity workloads drive: one category, <c>account</c>, whose behaviour is the account decider.</summary>
internal static class AccountEngine
{
    public const string Category = "account";

    public static async Task<EntityEngine> StartAsync(IEventStore store, int? snapshotEvery, TimeSpan? idleTimeout = null)
    {
        var engine = new EntityEngine(store, Codec(snapshotEvery));
        engine.Register(Category, AccountDecider.Instance, new EntityOptions
        {
            Snapshots = snapshotEvery is { } every ? SnapshotStrategy.EveryEvents(every) : SnapshotStrategy.None,
            IdleTimeout = idleTimeout,
        });
        await engine.StartAsync();
        return engine;
    }

    /// <summary>The codec the engines use; a process that sends commands to a cluster needs the same.</summary>
    public static EventCodec Codec(int? snapshotEvery) => new(AccountDecider.Registry(snapshots: snapshotEvery is not null));
}
