using System.Text;
using Annals.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace Annals.Sqlite.Tests;

public sealed class SqliteLogTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Opening_logs_the_migration_once_and_every_open()
    {
        var path = fixture.NewPath();
        var first = new FakeLogCollector();
        await using (await SqliteEventStore.OpenAsync(Options(path, first)))
        {
        }

        var second = new FakeLogCollector();
        await using (await SqliteEventStore.OpenAsync(Options(path, second)))
        {
        }

        Assert.Equal([202, 201], first.GetSnapshot().Select(r => r.Id.Id));
        Assert.Contains(path, first.GetSnapshot()[0].Message, StringComparison.Ordinal);
        Assert.Equal([201], second.GetSnapshot().Select(r => r.Id.Id));
        Assert.All(first.GetSnapshot().Concat(second.GetSnapshot()), r => Assert.Equal(LogLevel.Information, r.Level));
    }

    [Fact]
    public async Task A_commit_slower_than_the_threshold_is_a_warning_with_its_group_size()
    {
        var logs = new FakeLogCollector();
        var options = Options(fixture.NewPath(), logs);
        options.SlowCommitThreshold = TimeSpan.FromTicks(1);
        await using (var store = await SqliteEventStore.OpenAsync(options))
        {
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Placed", Encoding.UTF8.GetBytes("{}")));
        }

        var slow = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 203);
        Assert.Equal(LogLevel.Warning, slow.Level);
        Assert.Contains("a group of 1 batches", slow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commits_under_the_threshold_log_nothing()
    {
        var logs = new FakeLogCollector();
        await using (var store = await SqliteEventStore.OpenAsync(Options(fixture.NewPath(), logs)))
        {
            logs.Clear();
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Placed", Encoding.UTF8.GetBytes("{}")));
        }

        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Level >= LogLevel.Information && r.Id.Id == 203);
    }

    [Fact]
    public void A_threshold_that_is_not_positive_is_refused_naming_the_option()
    {
        var options = new SqliteEventStoreOptions { Path = fixture.NewPath(), SlowCommitThreshold = TimeSpan.Zero };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SqliteEventStore.OpenAsync(options));
        Assert.Contains("SlowCommitThreshold", error.Message, StringComparison.Ordinal);
    }

    private static SqliteEventStoreOptions Options(string path, FakeLogCollector logs) => new()
    {
        Path = path,
        LoggerFactory = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug)),
    };
}
