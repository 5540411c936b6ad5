using Annals.Processes;
using Annals.Projections;
using Annals.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;

namespace Annals.Hosting.Tests;

public sealed class HealthCheckTests
{
    private static readonly ProjectionOptions FailFast = new() { MaxRetries = 0, OnFailure = FailurePolicy.Stop };

    [Fact]
    public async Task The_store_check_is_healthy_while_the_store_is_open_and_unhealthy_before_and_after()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals(b => b.UseSqlite(TestHosts.NewSqlitePath()));
            services.AddHealthChecks().AddAnnals();
        });
        var health = host.Services.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals"].Status);
        await host.StartAsync(TestHosts.Timeout());
        var open = (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals"];
        await host.StopAsync(TestHosts.Timeout());
        var stopped = (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals"];

        Assert.Equal(HealthStatus.Healthy, open.Status);
        Assert.Equal(0L, open.Data["headPosition"]);
        Assert.Equal(HealthStatus.Unhealthy, stopped.Status);
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_is_unhealthy_with_the_error()
    {
        var schema = PostgresServer.NewSchema();
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals("orders", b => b.UsePostgres(PostgresServer.ConnectionString, schema));
            services.AddHealthChecks().AddAnnals("orders");
        });
        await host.StartAsync(TestHosts.Timeout());
        await using (var dataSource = PostgresServer.NewDataSource())
        {
            await using var drop = dataSource.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(TestHosts.Timeout());
        }

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:orders"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.NotNull(entry.Exception);
        Assert.Contains("unreachable", entry.Description, StringComparison.Ordinal);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_live_projection_within_the_bound_is_healthy()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddHealthChecks().AddAnnals();
            services.AddAnnals(b => b.UseInMemory().AddProjection<CountingProjection>("counter"));
        });
        await host.StartAsync(TestHosts.Timeout());
        var appended = await host.Services.GetRequiredService<IEventStore>().AppendAsync(StreamName.For("note", "1"), ExpectedRevision.Any, [TestHosts.Event()], TestHosts.Timeout());
        await host.Services.GetRequiredService<ProjectionHost>().WaitForPositionAsync("counter", appended.LastPosition, TestHosts.Timeout());

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:counter"];

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Live", entry.Data["state"]);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task Processes_are_healthy_while_they_deliver_and_degraded_once_a_command_is_parked()
    {
        var failing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var host = TestHosts.Build(services =>
        {
            services.AddHealthChecks().AddAnnals();
            services.AddAnnals(b => b
                .UseInMemory()
                .AddTypes(registry => registry.Register<GiftPromised>().Register<Deposit>("hosting-deposit"))
                .AddProcesses((processes, _) =>
                {
                    processes.Routes.ToHandler<Deposit>((_, _, _) =>
                    {
                        failing.TrySetResult();
                        throw new InvalidOperationException("the account service is down");
                    });
                    processes.Add("gifts", new GiftProcess(), new ProcessOptions { MaxAttempts = 1 });
                }));
        });
        await host.StartAsync(TestHosts.Timeout());
        var processes = host.Services.GetRequiredService<ProcessHost>();
        var patience = TestHosts.Timeout();
        while ((await processes.GetStatusAsync("gifts", patience)).Events.State != ProjectionState.Live)
        {
            await Task.Yield();
        }

        var health = host.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals:processes"].Status);

        var typed = host.Services.GetRequiredService<Annals.Deciders.TypedEventStore>();
        await typed.AppendAsync(StreamName.For("gift", "1"), ExpectedRevision.NoStream, [new GiftPromised("ada", 5m)], cancellationToken: TestHosts.Timeout());
        await failing.Task.WaitAsync(TestHosts.Timeout());
        while ((await processes.GetStatusAsync("gifts", patience)).Parked == 0)
        {
            await Task.Yield();
        }

        var entry = (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals:processes"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("annals parked list process:gifts", entry.Description, StringComparison.Ordinal);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_projection_that_fails_under_a_stop_policy_is_unhealthy_with_its_error()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals("orders", b => b.UseSqlite(TestHosts.NewSqlitePath()).AddProjection<FailingProjection>("strict", FailFast));
            services.AddHealthChecks().AddAnnals("orders");
        });
        await host.StartAsync(TestHosts.Timeout());
        await host.Services.GetRequiredKeyedService<IEventStore>("orders").AppendAsync(StreamName.For("note", "1"), ExpectedRevision.Any, [TestHosts.Event()], TestHosts.Timeout());
        await WaitForStateAsync(host.Services.GetRequiredKeyedService<ProjectionHost>("orders"), "strict", ProjectionState.Faulted);

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:orders:projection:strict"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains(FailingProjection.Message, entry.Description, StringComparison.Ordinal);
        Assert.Contains(FailingProjection.Message, entry.Exception!.ToString(), StringComparison.Ordinal);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_paused_projection_is_degraded()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals(b => b.UseInMemory().AddProjection<CountingProjection>("counter"));
            services.AddHealthChecks().AddAnnals();
        });
        await host.StartAsync(TestHosts.Timeout());
        var projections = host.Services.GetRequiredService<ProjectionHost>();
        projections.Pause("counter");
        await WaitForStateAsync(projections, "counter", ProjectionState.Paused);

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:counter"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("paused", entry.Description, StringComparison.Ordinal);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task A_projection_catching_up_is_degraded()
    {
        var gated = new GatedProjection();
        var path = TestHosts.NewSqlitePath();
        await using (var store = await Sqlite.SqliteEventStore.OpenAsync(path))
        {
            await store.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, [TestHosts.Event(), TestHosts.Event(), TestHosts.Event()]);
        }

        using var host = TestHosts.Build(services =>
        {
            services.AddSingleton(gated);
            services.AddAnnals(b => b.UseSqlite(path).AddProjection<GatedProjection>("slow", new ProjectionOptions { BatchSize = 1, CatchUpBatchSize = 1 }));
            services.AddHealthChecks().AddAnnals();
        });
        await host.StartAsync(TestHosts.Timeout());
        await gated.Entered.WaitAsync(TestHosts.Timeout());

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:slow"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("catching up", entry.Description, StringComparison.Ordinal);
        gated.Open();
        await host.StopAsync(TestHosts.Timeout());
    }

    [Theory]
    [InlineData(null, HealthStatus.Degraded)]
    [InlineData("00:02:00", HealthStatus.Healthy)]
    public async Task A_live_projection_lagging_past_the_bound_is_degraded(string? maxLag, HealthStatus expected)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var gated = new GatedProjection();
        using var host = TestHosts.Build(
            services =>
            {
                services.AddSingleton<TimeProvider>(time);
                services.AddSingleton(gated);
                services.AddAnnals(b => b.UseSqlite(TestHosts.NewSqlitePath()).AddProjection<GatedProjection>("slow"));
                services.AddHealthChecks().AddAnnals();
            },
            maxLag is null ? null : new Dictionary<string, string?> { ["Annals:Health:MaxProjectionLag"] = maxLag });
        await host.StartAsync(TestHosts.Timeout());
        var appended = await host.Services.GetRequiredService<IEventStore>().AppendAsync(StreamName.For("note", "1"), ExpectedRevision.Any, [TestHosts.Event()], TestHosts.Timeout());
        await gated.Entered.WaitAsync(TestHosts.Timeout());
        time.Advance(TimeSpan.FromSeconds(60));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var lagging = (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:slow"];
        gated.Open();
        await host.Services.GetRequiredService<ProjectionHost>().WaitForPositionAsync("slow", appended.LastPosition, TestHosts.Timeout());
        var caughtUp = (await health.CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:slow"];

        Assert.Equal("Live", lagging.Data["state"]);
        Assert.Equal(60d, (double)lagging.Data["lagSeconds"]);
        Assert.Equal(expected, lagging.Status);
        Assert.Equal(HealthStatus.Healthy, caughtUp.Status);
        await host.StopAsync(TestHosts.Timeout());
    }

    [Fact]
    public async Task Each_partition_counts_and_the_worst_one_decides()
    {
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals(b => b.UseInMemory().AddProjection<FailingProjection>("split", new ProjectionOptions { Partitions = 2, MaxRetries = 0 }));
            services.AddHealthChecks().AddAnnals();
        });
        await host.StartAsync(TestHosts.Timeout());
        var store = host.Services.GetRequiredService<IEventStore>();
        for (var i = 0; i < 8; i++)
        {
            await store.AppendAsync(StreamName.For("note", $"{i}"), ExpectedRevision.Any, [TestHosts.Event()], TestHosts.Timeout());
        }

        var projections = host.Services.GetRequiredService<ProjectionHost>();
        await WaitForStateAsync(projections, "split/p0", ProjectionState.Faulted);
        await WaitForStateAsync(projections, "split/p1", ProjectionState.Faulted);

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestHosts.Timeout())).Entries["annals:projection:split"];

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        await host.StopAsync(TestHosts.Timeout());
    }

    /// <summary>Polls a projection's status until it reaches a state, for no longer than the tests' patience.</summary>
    private static async Task WaitForStateAsync(ProjectionHost projections, string name, ProjectionState state)
    {
        var timeout = TestHosts.Timeout();
        while ((await projections.GetStatusAsync(name, timeout)).State != state)
        {
            await Task.Yield();
            timeout.ThrowIfCancellationRequested();
        }
    }
}
