using System.Text;
using Annals.Diagnostics;
using Annals.InMemory;
using Annals.Storage;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit;

namespace Annals.Tests.Diagnostics;

/// <summary>The store meter is one per process: these tests run alone, so what they measure is theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StoreMeterCollection
{
    public const string Name = "Store meter";
}

[Collection(StoreMeterCollection.Name)]
public sealed class StoreMeterTests
{
    private static readonly StreamName Order = StreamName.Parse("order.1");

    [Fact]
    public async Task Commits_count_by_outcome_with_their_events_and_durations()
    {
        using var commits = Collect<long>("annals.store.commits");
        using var appended = Collect<long>("annals.store.events.appended");
        using var durations = Collect<double>("annals.store.commit.duration");
        using var conflicts = Collect<long>("annals.store.conflicts");
        await using var store = new InMemoryEventStore();

        await store.AppendAsync(Order, ExpectedRevision.NoStream, [Event(), Event()]);
        await store.AppendAsync(Order, ExpectedRevision.Exact(1), Event());
        await store.CommitAsync(new CommitBatch().SaveCheckpoint("mailer", 3, null));
        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.AppendAsync(Order, ExpectedRevision.NoStream, Event()).AsTask());

        Assert.Equal(3, Sum(commits, "outcome", "committed"));
        Assert.Equal(1, Sum(commits, "outcome", "conflict"));
        Assert.Equal(3, Sum(appended));
        Assert.Equal(4, durations.GetMeasurementSnapshot().Count(m => Tagged(m.Tags, "db.system.name", "memory")));
        Assert.Equal(1, Sum(conflicts, "annals.conflict.kind", "WrongExpectedRevision"));
    }

    [Fact]
    public async Task Reads_count_the_events_they_return()
    {
        await using var store = new InMemoryEventStore();
        await store.AppendAsync(Order, ExpectedRevision.NoStream, [Event(), Event(), Event()]);
        using var read = Collect<long>("annals.store.events.read");

        await store.ReadStreamAsync(Order).ToListAsync();
        await store.ReadAllAsync(afterPosition: 1).ToListAsync();

        Assert.Equal(5, Sum(read));
    }

    [Fact]
    public void The_meter_names_are_the_ones_published()
    {
        Assert.Equal(["Annals.Storage", "Annals.Entities", "Annals.Projections", "Annals.Processes"], AnnalsTelemetry.MeterNames);
        Assert.Equal("Annals", AnnalsTelemetry.ActivitySourceName);
    }

    private static MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(null, AnnalsTelemetry.StoreMeterName, instrument);

    private static long Sum(MetricCollector<long> collector, string? tag = null, string? value = null) =>
        collector.GetMeasurementSnapshot()
            .Where(m => Tagged(m.Tags, "db.system.name", "memory") && (tag is null || Tagged(m.Tags, tag, value!)))
            .Sum(m => m.Value);

    private static bool Tagged(IReadOnlyDictionary<string, object?> tags, string key, string value) =>
        tags.TryGetValue(key, out var actual) && (string?)actual == value;

    private static EventData Event() => new(Guid.NewGuid(), "Placed", Encoding.UTF8.GetBytes("{}"));
}
