using Annals.Deciders;
using Annals.Entities;
using Annals.Nats;
using Annals.Projections;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Xunit;

namespace Annals.Hosting.Tests;

/// <summary>The NATS backend in a host: on the server named by <c>ANNALS_NATS_URL</c>, each test on a store of its own.</summary>
public sealed class NatsTests
{
    [Fact]
    public async Task A_store_from_a_url_is_created_and_runs_entities_and_projections()
    {
        var name = NatsServer.NewStore();
        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton<CountingProjection>();
            services.AddAnnals(b => b
                .UseNats(NatsServer.Url, name)
                .AddTypes(registry => registry.Register<Deposited>())
                .AddEntities((engine, _) => engine.Register("account", Account.Decider))
                .AddProjection<CountingProjection>("counter"));
        });
        await host.StartAsync(TestHosts.Timeout());

        var store = Assert.IsType<NatsEventStore>(host.Services.GetRequiredService<IEventStore>());
        Assert.Equal(name, store.Store);
        var engine = host.Services.GetRequiredService<EntityEngine>();
        await engine.SendCommandAsync<decimal>(StreamName.For("account", "1"), new Deposit(2m), cancellationToken: TestHosts.Timeout());
        var reply = await engine.SendCommandAsync<decimal>(StreamName.For("account", "1"), new Deposit(3m), cancellationToken: TestHosts.Timeout());
        Assert.Equal(5m, reply.State);

        var head = await store.GetHeadPositionAsync(TestHosts.Timeout());
        await host.Services.GetRequiredService<ProjectionHost>().WaitForPositionAsync("counter", head, TestHosts.Timeout());
        Assert.Equal(2, host.Services.GetRequiredService<CountingProjection>().Handled);
        var typed = host.Services.GetRequiredService<TypedEventStore>();
        Assert.Equal([new Deposited(2m), new Deposited(3m)], await typed.ReadStreamAsync(StreamName.For("account", "1"), cancellationToken: TestHosts.Timeout()).Select(e => e.Data).ToListAsync());
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task Configuration_moves_an_app_written_for_sqlite_onto_nats()
    {
        var name = NatsServer.NewStore();
        using var host = TestHosts.Build(
            services => services.AddAnnals(b => b.UseSqlite(TestHosts.NewSqlitePath())),
            new Dictionary<string, string?>
            {
                ["Annals:Backend"] = "Nats",
                ["Annals:Nats:Url"] = NatsServer.Url,
                ["Annals:Nats:Store"] = name,
                ["Annals:Nats:Storage"] = "Memory",
            });
        await host.StartAsync(TestHosts.Timeout());

        var store = Assert.IsType<NatsEventStore>(host.Services.GetRequiredService<IEventStore>());
        Assert.Equal(name, store.Store);
        await store.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());
        await host.StopAsync(TestHosts.Timeout());

        await using var provider = new NatsStoreProvider(new NatsEventStoreOptions { Url = NatsServer.Url });
        Assert.True(await provider.ExistsAsync(name, TestHosts.Timeout()));
        Assert.True(await provider.DeleteAsync(name, TestHosts.Timeout()));
    }

    [Fact]
    public async Task A_store_on_the_applications_connection_leaves_it_open_when_the_host_stops()
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = NatsServer.Url });
        var name = NatsServer.NewStore();
        using (var host = TestHosts.Build(services => services.AddAnnals("orders", b => b.UseNats(connection, name))))
        {
            await host.StartAsync(TestHosts.Timeout());
            var store = host.Services.GetRequiredKeyedService<IEventStore>("orders");
            await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());
            await host.StopAsync(TestHosts.Timeout());
        }

        Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
        await using var reopened = await NatsEventStore.OpenAsync(new NatsEventStoreOptions { Connection = connection, Store = name, CreateIfMissing = false }, TestHosts.Timeout());
        Assert.Single(await reopened.ReadStreamAsync(StreamName.For("order", "1"), cancellationToken: TestHosts.Timeout()).ToListAsync());
    }

    [Fact]
    public async Task Process_managers_on_a_nats_store_fail_the_start_naming_why()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b
            .UseNats(NatsServer.Url, NatsServer.NewStore())
            .AddTypes(registry => registry.Register<Deposited>().Register<GiftPromised>())
            .AddProcess("gifts", _ => new GiftProcess())));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHosts.Timeout()));

        Assert.Contains("Annals:Backend is Nats, which cannot commit a process instance's state", error.Message, StringComparison.Ordinal);
    }
}
