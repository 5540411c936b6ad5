using Annals.Entities;
using Annals.Orleans.TestSilo;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Xunit;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>One machine, Orleans' own localhost clustering: a silo in a host with Annals, and a client of its own.</summary>
public sealed class LocalhostClusteringTests
{
    [Fact]
    public async Task A_client_on_localhost_clustering_sends_commands_to_the_entities_of_a_silo_on_localhost_clustering()
    {
        var ports = FreePorts.Take(2);
        var clusterId = $"local-{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAnnals(annals => annals
            .UseInMemory()
            .AddTypes(Counter.Register)
            .AddEntities((engine, _) => engine.Register(Counter.Category, Counter.Decider)));
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(ports[0], ports[1], serviceId: SiloArguments.ServiceId, clusterId: clusterId)
            .AddAnnalsEntities());
        using var silo = builder.Build();
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.StartAsync(starting.Token);
        try
        {
            await using var client = await EntityClient.StartAsync(c => c.UseLocalhostClustering(ports[1], SiloArguments.ServiceId, clusterId), clusterId);
            var entity = StreamName.For(Counter.Category, "one");

            var first = await client.Sender.SendCommandAsync<CounterState>(entity, new Count("client", 0));
            var second = await silo.Services.GetRequiredService<ICommandSender>().SendCommandAsync<CounterState>(entity, new Count("silo", 0));

            Assert.IsType<OrleansCommandSender>(client.Sender);
            Assert.Equal(new CounterState(1), first.State);
            Assert.Equal([new Counted("client", 0)], first.Events);
            Assert.Equal(new CounterState(2), second.State);
            Assert.Equal(1, second.Revision);
            Assert.Equal(2, await silo.Services.GetRequiredService<IEventStore>().ReadStreamAsync(entity).CountAsync());
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await silo.StopAsync(stopping.Token);
        }
    }
}
