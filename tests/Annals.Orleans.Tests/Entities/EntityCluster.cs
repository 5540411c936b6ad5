using Annals.Entities;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Annals.Orleans.Tests.Entities;

/// <summary>An in-process Orleans cluster whose silos each run Annals on one PostgreSQL schema, with the tally entity registered and hosted as grains.</summary>
public sealed class EntityCluster : IAsyncDisposable
{
    private EntityCluster(InProcessTestCluster cluster, string schema)
    {
        Cluster = cluster;
        Schema = schema;
    }

    public InProcessTestCluster Cluster { get; }

    public string Schema { get; }

    public static async Task<EntityCluster> StartAsync(short silos, EngineOptions? engine = null)
    {
        var schema = PostgresServer.NewSchema();
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Services.AddAnnals(b => b
            .UsePostgres(PostgresServer.ConnectionString, schema)
            .AddTypes(registry => registry.Register<Tallied>().Register<TallyState>("orleans-tally-state"))
            .AddEntities((e, _) => e.Register(TallyEntity.Category, TallyEntity.Decider).RegisterDurableState(TallyMeter.Category, new TallyMeter()), engine)));
        builder.ConfigureSilo((_, silo) => silo.AddAnnalsEntities());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new EntityCluster(cluster, schema);
    }

    /// <summary>The command sender of each silo that is running, in order.</summary>
    public IReadOnlyList<ICommandSender> Senders() =>
        [.. Cluster.Silos.Where(s => s.IsActive).Select(s => s.ServiceProvider.GetRequiredService<ICommandSender>())];

    /// <summary>How many entities the engine of each silo holds in memory, in silo order.</summary>
    public IReadOnlyList<int> LiveEntities() =>
        [.. Cluster.Silos.Select(s => s.IsActive ? s.ServiceProvider.GetRequiredService<EntityEngine>().LiveEntities : 0)];

    /// <summary>The store of a running silo.</summary>
    public IEventStore Store() => Cluster.Silos.First(s => s.IsActive).ServiceProvider.GetRequiredService<IEventStore>();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
