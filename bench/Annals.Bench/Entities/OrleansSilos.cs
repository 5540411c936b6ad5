using Annals.Entities;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Annals.Bench.Entities;

/// <summary>
/// N Orleans silos in this process, each with an entity engine on the one store, the entities hosted as grains: one
/// activation per entity in the cluster, whichever silo a command is sent through.
/// </summary>
internal sealed class OrleansSilos : IEntityHosts
{
    private readonly InProcessTestCluster _cluster;
    private readonly EntityEngine[] _engines;

    private OrleansSilos(InProcessTestCluster cluster, EntityEngine[] engines, IReadOnlyList<ICommandSender> senders)
    {
        _cluster = cluster;
        _engines = engines;
        Senders = senders;
    }

    public string Name => $"orleans:{_engines.Length}";

    public IReadOnlyList<ICommandSender> Senders { get; }

    public static async Task<OrleansSilos> StartAsync(IEventStore store, int silos, int? snapshotEvery)
    {
        var engines = new EntityEngine[silos];
        for (var i = 0; i < silos; i++)
        {
            engines[i] = await AccountEngine.StartAsync(store, snapshotEvery);
        }

        var next = -1;
        var builder = new InProcessTestClusterBuilder((short)silos);

        // The silos log through the host; no log files in the working folder.
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) =>
        {
            var engine = engines[Interlocked.Increment(ref next)];
            host.Services.AddSingleton(engine);
            host.Services.AddSingleton(AccountEngine.Codec(snapshotEvery));
        });
        builder.ConfigureSilo((_, silo) => silo.AddAnnalsEntities());
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var senders = cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<ICommandSender>()).ToArray();
        return new OrleansSilos(cluster, engines, senders);
    }

    public async ValueTask DisposeAsync()
    {
        await _cluster.DisposeAsync();
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }
    }
}
