using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace Annals.Hosting.Tests;

public sealed class LoggingTests
{
    [Fact]
    public async Task The_store_logs_through_the_hosts_logging()
    {
        var logs = new FakeLogCollector();
        var path = TestHosts.NewSqlitePath();
        var builder = TestHosts.Builder();
        builder.Logging.AddProvider(new FakeLoggerProvider(logs));
        builder.Services.AddAnnals(annals => annals.UseSqlite(path));
        using var host = builder.Build();

        await host.StartAsync(TestHosts.Timeout());
        await host.StopAsync(TestHosts.Timeout());

        var opened = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 201);
        Assert.Equal("Annals.Sqlite.SqliteEventStore", opened.Category);
        Assert.Contains(path, opened.Message, StringComparison.Ordinal);
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 202 && r.Level == LogLevel.Information);
    }
}
