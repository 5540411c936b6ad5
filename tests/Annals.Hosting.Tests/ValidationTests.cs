using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Annals.Hosting.Tests;

/// <summary>Each check of a store's options fails the host's start with a message that names the key to fix.</summary>
public sealed class ValidationTests
{
    public static TheoryData<string, string[], string> Failures => new()
    {
        { "no backend", [], "Annals:Backend is required" },
        { "sqlite without a path", ["Backend=Sqlite", "Sqlite:Path= "], "Annals:Sqlite:Path is required when Annals:Backend is Sqlite" },
        { "sqlite max event bytes", ["Backend=Sqlite", "Sqlite:MaxEventBytes=0"], "Annals:Sqlite:MaxEventBytes must be at least 1" },
        { "sqlite group size", ["Backend=Sqlite", "Sqlite:MaxGroupSize=0"], "Annals:Sqlite:MaxGroupSize must be at least 1" },
        { "sqlite poll interval", ["Backend=Sqlite", "Sqlite:PollInterval=00:00:00"], "Annals:Sqlite:PollInterval must be positive" },
        { "postgres without a connection string", ["Backend=Postgres"], "Annals:Postgres:ConnectionString is required when Annals:Backend is Postgres" },
        { "postgres schema", ["Backend=Postgres", "Postgres:ConnectionString=Host=localhost", "Postgres:Schema=Bad-Name"], "Annals:Postgres:Schema 'Bad-Name' is invalid" },
        { "postgres reserved schema", ["Backend=Postgres", "Postgres:ConnectionString=Host=localhost", "Postgres:Schema=pg_mine"], "Annals:Postgres:Schema 'pg_mine' is invalid" },
        { "postgres max event bytes", ["Backend=Postgres", "Postgres:ConnectionString=Host=localhost", "Postgres:MaxEventBytes=0"], "Annals:Postgres:MaxEventBytes must be at least 1" },
        { "postgres group size", ["Backend=Postgres", "Postgres:ConnectionString=Host=localhost", "Postgres:MaxGroupSize=0"], "Annals:Postgres:MaxGroupSize must be at least 1" },
        { "postgres poll interval", ["Backend=Postgres", "Postgres:ConnectionString=Host=localhost", "Postgres:PollInterval=-00:00:01"], "Annals:Postgres:PollInterval must be positive" },
        { "nats without a url", ["Backend=Nats", "Nats:Url= "], "Annals:Nats:Url is required when Annals:Backend is Nats" },
        { "nats url", ["Backend=Nats", "Nats:Url=not a url"], "Annals:Nats:Url 'not a url' is not a URL" },
        { "nats store", ["Backend=Nats", "Nats:Store=Bad.Name"], "Annals:Nats:Store 'Bad.Name' is invalid" },
        { "nats replicas", ["Backend=Nats", "Nats:Replicas=0"], "Annals:Nats:Replicas must be at least 1" },
        { "nats max event bytes", ["Backend=Nats", "Nats:MaxEventBytes=0"], "Annals:Nats:MaxEventBytes must be at least 1" },
        { "nats poll interval", ["Backend=Nats", "Nats:PollInterval=00:00:00"], "Annals:Nats:PollInterval must be positive" },
        { "nats duplicate window", ["Backend=Nats", "Nats:DuplicateWindow=-00:00:01"], "Annals:Nats:DuplicateWindow must be positive" },
        { "leases on nats", ["Backend=Nats", "Projections:UseLeases=true"], "Annals:Projections:UseLeases needs a store that holds leases" },
        { "in-memory max event bytes", ["Backend=InMemory", "InMemory:MaxEventBytes=0"], "Annals:InMemory:MaxEventBytes must be at least 1" },
        { "lease duration", ["Backend=InMemory", "Projections:LeaseDuration=00:00:00.010"], "Annals:Projections:LeaseDuration must be at least 30 ms" },
        { "leases on sqlite", ["Backend=Sqlite", "Projections:UseLeases=true"], "Annals:Projections:UseLeases needs a store that holds leases" },
        { "health lag", ["Backend=InMemory", "Health:MaxProjectionLag=00:00:00"], "Annals:Health:MaxProjectionLag must be positive" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task The_default_store_fails_to_start_naming_the_key(string why, string[] settings, string expected)
    {
        _ = why;
        using var host = TestHosts.Build(services => services.AddAnnals(_ => { }), Configuration("Annals", settings));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHosts.Timeout()));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_named_store_fails_to_start_naming_the_key_in_its_own_section(string why, string[] settings, string expected)
    {
        _ = why;
        using var host = TestHosts.Build(services => services.AddAnnals("orders", _ => { }), Configuration("Annals:Stores:orders", settings));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHosts.Timeout()));

        Assert.Contains(expected.Replace("Annals:", "Annals:Stores:orders:", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backend_that_is_not_one_fails_the_start()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(_ => { }), Configuration("Annals", ["Backend=Mongo"]));

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => host.StartAsync(TestHosts.Timeout()));

        Assert.Contains("Backend", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_and_a_data_source_together_are_refused()
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create("Host=localhost");
        using var host = TestHosts.Build(services =>
        {
            services.AddAnnals(b => b.UsePostgres(dataSource));
            services.Configure<AnnalsOptions>(o => o.Postgres.ConnectionString = "Host=localhost");
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestHosts.Timeout()));

        Assert.Contains("Annals:Postgres:ConnectionString and a data source are both set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Valid_options_from_code_alone_start_without_configuration()
    {
        using var host = TestHosts.Build(services => services.AddAnnals(b => b.UseInMemory()));

        await host.StartAsync(TestHosts.Timeout());
        await host.StopAsync(TestHosts.Timeout());
    }

    private static Dictionary<string, string?> Configuration(string section, string[] settings) =>
        settings.Select(s => s.Split('=', 2)).ToDictionary(kv => $"{section}:{kv[0]}", kv => (string?)kv[1]);
}
