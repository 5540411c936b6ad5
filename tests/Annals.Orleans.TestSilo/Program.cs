// A silo in a process of its own, clustered on PostgreSQL, hosting the counter entity of an Annals store as grains.
//   Annals.Orleans.TestSilo <store connection string> <store schema> <clustering connection string> <cluster id> <silo port> <gateway port>
// It prints "READY ." once it has joined the cluster. On its input, "LIVE <n>" prints "LIVE <n> <count> .", <count> being
// how many entities its engine holds; the end of its input stops it. Its log goes to standard error.
using System.Net;
using Annals.Entities;
using Annals.Orleans.TestSilo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;

var arguments = SiloArguments.Parse(args);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Annals", LogLevel.Information);
builder.Services.AddAnnals(annals => annals
    .UsePostgres(arguments.Store, arguments.Schema)
    .AddTypes(Counter.Register)
    .AddEntities((engine, _) => engine.Register(Counter.Category, Counter.Decider)));
builder.UseOrleans(silo => silo
    .UseAnnalsPostgresClustering(arguments.Clustering)
    .Configure<ClusterOptions>(o =>
    {
        o.ClusterId = arguments.ClusterId;
        o.ServiceId = SiloArguments.ServiceId;
    })
    .ConfigureEndpoints(IPAddress.Loopback, arguments.SiloPort, arguments.GatewayPort)
    .Configure<ClusterMembershipOptions>(o =>
    {
        // A killed silo is declared dead within seconds rather than the default quarter of a minute or more: two
        // missed probes of a second each (with two silos, the survivor's vote is enough already).
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
    })
    .AddAnnalsEntities());

using var host = builder.Build();
await host.StartAsync();
Say("READY");

while (await Console.In.ReadLineAsync() is { } line)
{
    if (line.StartsWith("LIVE ", StringComparison.Ordinal))
    {
        Say($"{line} {host.Services.GetRequiredService<EntityEngine>().LiveEntities}");
    }
}

// The test closed the input, or died: leave the cluster rather than linger.
using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
await host.StopAsync(stopping.Token);
Say("STOPPED");
return 0;

// Each line ends in " ." so that one cut short by a kill is recognised.
static void Say(string line) => Console.Out.WriteLine(line + " .");
