using Annals.Deciders;
using Annals.Entities;
using Annals.InMemory;
using Annals.Processes;
using Annals.Projections;
using Annals.Serialization;
using Annals.Sqlite;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Annals.Hosting.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task A_started_host_appends_and_reads_and_a_stopped_one_releases_the_sqlite_file()
    {
        var path = TestHosts.NewSqlitePath();
        var stream = StreamName.For("account", "1");
        using (var host = TestHosts.Build(services => services.AddAnnals(b => b.UseSqlite(path).AddTypes(typeof(Deposited).Assembly))))
        {
            await host.StartAsync(TestHosts.Timeout());
            var typed = host.Services.GetRequiredService<TypedEventStore>();
            await typed.AppendAsync(stream, ExpectedRevision.NoStream, [new Deposited(5m)], cancellationToken: TestHosts.Timeout());

            var read = await typed.ReadStreamAsync(stream, cancellationToken: TestHosts.Timeout()).ToListAsync();
            Assert.Equal(new Deposited(5m), Assert.Single(read).Data);
            Assert.IsType<SqliteEventStore>(host.Services.GetRequiredService<IEventStore>());
            await host.StopAsync(TestHosts.Timeout());
        }

        await using var reopened = await SqliteEventStore.OpenAsync(path);
        Assert.Single(await reopened.ReadStreamAsync(stream).ToListAsync());
    }

    [Fact]
    public void Resolving_the_store_before_the_host_starts_is_refused_with_a_clear_error()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b.UseInMemory()));

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<IEventStore>());
        Assert.Contains("not open yet", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<TypedEventStore>());
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<ProjectionHost>());

        // Types need no store: they can be resolved at any time.
        Assert.NotNull(host.Services.GetRequiredService<TypeRegistry>());
        Assert.NotNull(host.Services.GetRequiredService<EventCodec>());
    }

    [Fact]
    public async Task Hosted_services_of_the_application_find_the_store_open_in_their_start_and_stop_whatever_their_order()
    {
        var probe = new StoreProbe();
        using var host = TestHosts.Build(services =>
        {
            // Added before the store on purpose: the store opens before any hosted service starts.
            services.AddSingleton(probe);
            services.AddHostedService<StoreUser>();
            services.AddAnnals(b => b.UseInMemory());
        });

        await host.StartAsync(TestHosts.Timeout());
        await host.StopAsync(TestHosts.Timeout());

        Assert.Equal(1, probe.HeadAtStart);
        Assert.Equal(1, probe.HeadAtStop);
    }

    [Fact]
    public async Task Projections_registered_on_the_builder_see_the_events()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton<CountingProjection>();
            services.AddAnnals(b => b.UseInMemory().AddProjection<CountingProjection>("counter"));
        });
        await host.StartAsync(TestHosts.Timeout());
        var store = host.Services.GetRequiredService<IEventStore>();

        var appended = await store.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.Any, [TestHosts.Event(), TestHosts.Event()], TestHosts.Timeout());
        var projections = host.Services.GetRequiredService<ProjectionHost>();
        await projections.WaitForPositionAsync("counter", appended.LastPosition, TestHosts.Timeout());

        Assert.Equal(2, host.Services.GetRequiredService<CountingProjection>().Handled);
        Assert.Equal(ProjectionState.Live, (await projections.GetStatusAsync("counter", TestHosts.Timeout())).State);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_projection_takes_the_open_store_in_its_constructor_and_uses_it_from_its_first_batch()
    {
        var path = TestHosts.NewSqlitePath();
        await using (var seeded = await Annals.Sqlite.SqliteEventStore.OpenAsync(path))
        {
            await seeded.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.Any, [TestHosts.Event(), TestHosts.Event()]);
        }

        // The events are there before the host starts: the projection's first batch runs while the host is still starting.
        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton<StoreReadingProjection>();
            services.AddAnnals(b => b.UseSqlite(path).AddProjection<StoreReadingProjection>("reader"));
        });
        await host.StartAsync(TestHosts.Timeout());
        var projections = host.Services.GetRequiredService<ProjectionHost>();
        await projections.WaitForPositionAsync("reader", 2, TestHosts.Timeout());

        Assert.Equal(2, host.Services.GetRequiredService<StoreReadingProjection>().HeadSeen);
        Assert.Null((await projections.GetStatusAsync("reader", TestHosts.Timeout())).LastError);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_process_sends_its_commands_to_the_hosts_entities()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b
            .UseSqlite(TestHosts.NewSqlitePath())
            .AddTypes(registry => registry.Register<Deposited>().Register<GiftPromised>().Register<Deposit>("hosting-deposit"))
            .AddEntities((engine, _) => engine.Register("account", Account.Decider))
            .AddProcess("gifts", _ => new GiftProcess(), new ProcessOptions { PollInterval = TimeSpan.FromMilliseconds(50) })));
        await host.StartAsync(TestHosts.Timeout());
        var typed = host.Services.GetRequiredService<TypedEventStore>();

        await typed.AppendAsync(StreamName.For("gift", "1"), ExpectedRevision.NoStream, [new GiftPromised("ada", 5m)], cancellationToken: TestHosts.Timeout());

        // The command reaches the entity: its deposit is stored in the account's stream.
        var stored = await typed.Store.SubscribeAsync(0, EventFilter.Parse("account.ada.>"), TestHosts.Timeout()).FirstAsync(TestHosts.Timeout());
        Assert.Equal("hosting-deposited", stored.Type);
        var processes = host.Services.GetRequiredService<ProcessHost>();
        var status = await processes.GetStatusAsync("gifts", TestHosts.Timeout());
        Assert.Equal(0, status.Parked);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task The_entity_engine_handles_commands_once_the_host_has_started()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b
            .UseSqlite(TestHosts.NewSqlitePath())
            .AddTypes(registry => registry.Register<Deposited>())
            .AddEntities((engine, _) => engine.Register("account", Account.Decider))));
        await host.StartAsync(TestHosts.Timeout());
        var engine = host.Services.GetRequiredService<EntityEngine>();

        await engine.SendCommandAsync<decimal>(StreamName.For("account", "7"), new Deposit(3m), cancellationToken: TestHosts.Timeout());
        var reply = await engine.SendCommandAsync<decimal>(StreamName.For("account", "7"), new Deposit(4m), cancellationToken: TestHosts.Timeout());

        Assert.Equal(7m, reply.State);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public void Without_AddEntities_the_engine_is_refused_with_a_clear_error()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b.UseInMemory()));

        var error = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<EntityEngine>());
        Assert.Contains("AddEntities", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_named_stores_are_isolated_and_keyed_by_their_names()
    {
        using var host = TestHosts.Build(services => services
            .AddAnnals("orders", b => b.UseSqlite(TestHosts.NewSqlitePath()))
            .AddAnnals("audit", b => b.UseSqlite(TestHosts.NewSqlitePath())));
        await host.StartAsync(TestHosts.Timeout());

        var orders = host.Services.GetRequiredKeyedService<IEventStore>("orders");
        var audit = host.Services.GetRequiredKeyedService<IEventStore>("audit");
        await orders.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());

        Assert.NotSame(orders, audit);
        Assert.Equal(1, await orders.GetHeadPositionAsync(TestHosts.Timeout()));
        Assert.Equal(0, await audit.GetHeadPositionAsync(TestHosts.Timeout()));
        Assert.NotSame(host.Services.GetRequiredKeyedService<TypeRegistry>("orders"), host.Services.GetRequiredKeyedService<TypeRegistry>("audit"));
        Assert.Null(host.Services.GetService<IEventStore>());
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_second_host_on_the_same_sqlite_file_fails_to_start()
    {
        var path = TestHosts.NewSqlitePath();
        using var first = TestHosts.Build(services => services.AddAnnals(b => b.UseSqlite(path)));
        await first.StartAsync(TestHosts.Timeout());
        using var second = TestHosts.Build(services => services.AddAnnals(b => b.UseSqlite(path)));

        await Assert.ThrowsAsync<StoreLockedException>(() => second.StartAsync(TestHosts.Timeout()));
        await first.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task Disposing_a_host_without_stopping_it_closes_its_store()
    {
        var path = TestHosts.NewSqlitePath();
        var host = TestHosts.Build(services => services.AddAnnals(b => b.UseSqlite(path)));
        await host.StartAsync(TestHosts.Timeout());
        _ = host.Services.GetRequiredService<IEventStore>();

        host.Dispose();

        await using var reopened = await SqliteEventStore.OpenAsync(path);
        Assert.Equal(0, await reopened.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Configuration_overrides_the_backend_the_code_chose()
    {
        var path = TestHosts.NewSqlitePath();
        using var host = TestHosts.Build(
            services => services.AddAnnals(b => b.UseInMemory()),
            new Dictionary<string, string?> { ["Annals:Backend"] = "Sqlite", ["Annals:Sqlite:Path"] = path, ["Annals:Sqlite:Durability"] = "RelaxedOnPowerLoss" });
        await host.StartAsync(TestHosts.Timeout());

        var store = Assert.IsType<SqliteEventStore>(host.Services.GetRequiredService<IEventStore>());
        Assert.Equal(Path.GetFullPath(path), store.Path);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_named_store_reads_its_own_configuration_section()
    {
        using var host = TestHosts.Build(
            services => services.AddAnnals("orders", b => b.UseSqlite(TestHosts.NewSqlitePath())),
            new Dictionary<string, string?> { ["Annals:Backend"] = "Sqlite", ["Annals:Stores:orders:Backend"] = "InMemory" });
        await host.StartAsync(TestHosts.Timeout());

        Assert.IsType<InMemoryEventStore>(host.Services.GetRequiredKeyedService<IEventStore>("orders"));
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task The_stores_stamp_events_with_the_containers_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2031, 1, 2, 3, 4, 5, TimeSpan.Zero));
        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton<TimeProvider>(time);
            services.AddAnnals(b => b.UseSqlite(TestHosts.NewSqlitePath()));
        });
        await host.StartAsync(TestHosts.Timeout());
        var store = host.Services.GetRequiredService<IEventStore>();

        await store.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());

        var stored = Assert.Single(await store.ReadStreamAsync(StreamName.For("note", "1")).ToListAsync());
        Assert.Equal(time.GetUtcNow(), stored.Timestamp);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public void Adding_the_same_store_twice_adds_to_its_setup_and_registers_its_services_once()
    {
        var services = new ServiceCollection();
        services.AddAnnals(b => b.UseInMemory()).AddAnnals(b => b.AddTypes(r => r.Register<Deposited>()));

        Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        Assert.Single(services, d => d.ServiceType == typeof(IEventStore));
        Assert.Throws<ArgumentException>(() => services.AddAnnals("a:b", b => b.UseInMemory()));
    }

    public sealed class StoreProbe
    {
        public long HeadAtStart { get; set; } = -1;

        public long HeadAtStop { get; set; } = -1;
    }

    /// <summary>An application service that uses the store as it starts and as it stops.</summary>
    private sealed class StoreUser(IServiceProvider services, StoreProbe probe) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var store = services.GetRequiredService<IEventStore>();
            await store.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], cancellationToken);
            probe.HeadAtStart = await store.GetHeadPositionAsync(cancellationToken);
        }

        public async Task StopAsync(CancellationToken cancellationToken) =>
            probe.HeadAtStop = await services.GetRequiredService<IEventStore>().GetHeadPositionAsync(cancellationToken);
    }
}
