using System.Text;
using Annals.Diagnostics;
using Annals.Storage;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit;

namespace Annals.Sqlite.Tests;

/// <summary>The store meter is one per process: these tests run alone, so what they measure is theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteStoreMeterCollection
{
    public const string Name = "SQLite store meter";
}

[Collection(SqliteStoreMeterCollection.Name)]
public sealed class SqliteStoreMeterTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Every_commit_is_counted_in_exactly_one_group()
    {
        using var groups = new MetricCollector<long>(null, AnnalsTelemetry.StoreMeterName, "annals.store.commit.group_size");
        using var commits = new MetricCollector<long>(null, AnnalsTelemetry.StoreMeterName, "annals.store.commits");
        await using var store = await fixture.CreateStoreAsync();

        // Concurrent writers: the writer groups them as they come, in however many groups.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            store.AppendAsync(StreamName.For("order", $"{i}"), ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Placed", Encoding.UTF8.GetBytes("{}"))).AsTask()));

        var sizes = groups.GetMeasurementSnapshot().Where(m => (string?)m.Tags["db.system.name"] == "sqlite").ToList();
        Assert.Equal(64, sizes.Sum(m => m.Value));
        Assert.All(sizes, m => Assert.InRange(m.Value, 1, 64));
        Assert.Equal(64, commits.GetMeasurementSnapshot().Where(m => (string?)m.Tags["db.system.name"] == "sqlite" && (string?)m.Tags["outcome"] == "committed").Sum(m => m.Value));
    }
}
