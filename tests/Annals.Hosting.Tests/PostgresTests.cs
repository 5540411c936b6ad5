using Annals.Deciders;
using Annals.Postgres;
using Annals.Projections;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace Annals.Hosting.Tests;

/// <summary>The PostgreSQL backend in a host: on the server named by <c>ANNALS_POSTGRES</c>, each test in a schema of its own.</summary>
public sealed class PostgresTests
{
    [Fact]
    public async Task A_store_from_a_connection_string_creates_its_schema_appends_and_reads()
    {
        var schema = PostgresServer.NewSchema();
        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton<CountingProjection>();
            services.AddAnnals(b => b
                .UsePostgres(PostgresServer.ConnectionString, schema)
                .AddTypes(typeof(Deposited).Assembly)
                .AddProjection<CountingProjection>("counter"));
        });
        await host.StartAsync(TestHosts.Timeout());

        var store = Assert.IsType<PostgresEventStore>(host.Services.GetRequiredService<IEventStore>());
        Assert.Equal(schema, store.Schema);
        var typed = host.Services.GetRequiredService<TypedEventStore>();
        var appended = await typed.AppendAsync(StreamName.For("account", "1"), ExpectedRevision.NoStream, [new Deposited(2m)], cancellationToken: TestHosts.Timeout());
        await host.Services.GetRequiredService<ProjectionHost>().WaitForPositionAsync("counter", appended.LastPosition, TestHosts.Timeout());

        Assert.Equal(new Deposited(2m), Assert.Single(await typed.ReadStreamAsync(StreamName.For("account", "1"), cancellationToken: TestHosts.Timeout()).ToListAsync()).Data);
        Assert.Equal(1, host.Services.GetRequiredService<CountingProjection>().Handled);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_store_configured_exclusive_refuses_a_second_host_until_the_first_stops()
    {
        var schema = PostgresServer.NewSchema();
        var configuration = new Dictionary<string, string?> { ["Annals:Postgres:Exclusive"] = "true" };
        using var first = TestHosts.Build(services => services.AddAnnals(b => b.UsePostgres(PostgresServer.ConnectionString, schema)), configuration);
        using var second = TestHosts.Build(services => services.AddAnnals(b => b.UsePostgres(PostgresServer.ConnectionString, schema)), configuration);
        await first.StartAsync(TestHosts.Timeout());
        Assert.True(Assert.IsType<PostgresEventStore>(first.Services.GetRequiredService<IEventStore>()).IsExclusive);

        await Assert.ThrowsAsync<StoreLockedException>(() => second.StartAsync(TestHosts.Timeout()));

        await first.StopAsync(TestHosts.Timeout());
        using var third = TestHosts.Build(services => services.AddAnnals(b => b.UsePostgres(PostgresServer.ConnectionString, schema)), configuration);
        await third.StartAsync(TestHosts.Timeout());
        await third.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_store_on_the_applications_data_source_leaves_it_open_when_the_host_stops()
    {
        await using var dataSource = PostgresServer.NewDataSource();
        var schema = PostgresServer.NewSchema();
        using (var host = TestHosts.Build(services => services.AddAnnals("orders", b => b.UsePostgres(dataSource, schema))))
        {
            await host.StartAsync(TestHosts.Timeout());
            var store = host.Services.GetRequiredKeyedService<IEventStore>("orders");
            await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());
            await host.StopAsync(TestHosts.Timeout());
        }

        await using var command = dataSource.CreateCommand($"select count(*) from {schema}.events");
        Assert.Equal(1L, await command.ExecuteScalarAsync(TestHosts.Timeout()));
    }

    [Fact]
    public async Task Configuration_moves_an_app_written_for_sqlite_onto_postgres()
    {
        var schema = PostgresServer.NewSchema();
        using var host = TestHosts.Build(
            services => services.AddAnnals(b => b.UseSqlite(TestHosts.NewSqlitePath())),
            new Dictionary<string, string?>
            {
                ["Annals:Backend"] = "Postgres",
                ["Annals:Postgres:ConnectionString"] = PostgresServer.ConnectionString,
                ["Annals:Postgres:Schema"] = schema,
            });
        await host.StartAsync(TestHosts.Timeout());

        var store = Assert.IsType<PostgresEventStore>(host.Services.GetRequiredService<IEventStore>());
        Assert.Equal(schema, store.Schema);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_connection_string_from_configuration_replaces_a_data_source_from_code()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=no-such-host.invalid");
        var schema = PostgresServer.NewSchema();
        using var host = TestHosts.Build(
            services => services.AddAnnals(b => b.UsePostgres(dataSource, schema)),
            new Dictionary<string, string?> { ["Annals:Postgres:ConnectionString"] = PostgresServer.ConnectionString });
        await host.StartAsync(TestHosts.Timeout());

        Assert.Equal(0, await host.Services.GetRequiredService<IEventStore>().GetHeadPositionAsync(TestHosts.Timeout()));
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task Two_hosts_on_one_schema_run_each_projection_in_one_of_them()
    {
        var schema = PostgresServer.NewSchema();
        var counters = new[] { new CountingProjection(), new CountingProjection() };
        using var first = Host(counters[0]);
        using var second = Host(counters[1]);
        await first.StartAsync(TestHosts.Timeout());
        await second.StartAsync(TestHosts.Timeout());
        var store = first.Services.GetRequiredService<IEventStore>();
        for (var i = 0; i < 5; i++)
        {
            await store.AppendAsync(StreamName.For("note", $"{i}"), ExpectedRevision.NoStream, [TestHosts.Event()], TestHosts.Timeout());
        }

        // Exactly one holds the lease and handles all five; the other stands by.
        var timeout = TestHosts.Timeout();
        while (counters.Sum(c => c.Handled) < 5)
        {
            await Task.Yield();
            timeout.ThrowIfCancellationRequested();
        }

        var states = new[]
        {
            (await first.Services.GetRequiredService<ProjectionHost>().GetStatusAsync("counter", timeout)).State,
            (await second.Services.GetRequiredService<ProjectionHost>().GetStatusAsync("counter", timeout)).State,
        };
        Assert.Contains(ProjectionState.WaitingForLease, states);
        Assert.Equal(5, counters.Sum(c => c.Handled));
        Assert.Contains(0, counters.Select(c => c.Handled));
        await second.StopAsync(TestHosts.Timeout());
        await first.StopAsync(TestHosts.Timeout());

        IHost Host(CountingProjection counter) => TestHosts.Build(services =>
        {
            services.AddSingleton(counter);
            services.AddAnnals(b => b.UsePostgres(PostgresServer.ConnectionString, schema).AddProjection<CountingProjection>("counter"));
        });
    }
}
