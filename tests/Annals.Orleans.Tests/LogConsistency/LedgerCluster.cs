using Annals.InMemory;
using Annals.Serialization;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using Xunit;

namespace Annals.Orleans.Tests.LogConsistency;

/// <summary>One in-process silo whose journaled grains keep their logs in one in-memory Annals store, through a store that can fail on demand.</summary>
public sealed class LedgerCluster : IAsyncLifetime
{
    public const int SnapshotEvery = 5;

    internal FaultyStore Store { get; } = new(new InMemoryEventStore());

    public TypeRegistry Registry { get; } = AdaptorHarness.Registry()
        .Register<Counted>("Counted")
        .Register<TallyState>("TallyState");

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IEventStore>(Store);
            silo.Services.AddSingleton(Registry);
            silo.AddAnnalsLogConsistencyProvider("annals", options => options.SnapshotEvery = SnapshotEvery);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Store.DisposeAsync();
    }
}
