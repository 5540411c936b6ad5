using Annals.Entities;
using Annals.Orleans.TestSilo;
using Annals.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>An Orleans cluster client in a host of its own that sends commands to the counters of a cluster's silos.</summary>
public sealed class EntityClient : IAsyncDisposable
{
    private readonly IHost _host;

    private EntityClient(IHost host) => _host = host;

    public ICommandSender Sender => _host.Services.GetRequiredService<ICommandSender>();

    /// <param name="clustering">Finds the gateways: the silos' clustering.</param>
    /// <param name="clusterId">The silos' cluster.</param>
    public static async Task<EntityClient> StartAsync(Func<IClientBuilder, IClientBuilder> clustering, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var registry = new TypeRegistry();
        Counter.Register(registry);
        builder.Services.AddSingleton(new EventCodec(registry));
        builder.UseOrleansClient(client => clustering(client)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = SiloArguments.ServiceId;
            })
            // A client is not told of a silo's death: a call in flight to it is answered only by this timeout (30 s by
            // default), after which it is sent again. And the list of gateways is read again soon after one goes.
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(5))
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2))
            .AddAnnalsEntities());
        var host = builder.Build();
        using var starting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(starting.Token);
        return new EntityClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stopping.Token);
        _host.Dispose();
    }
}
