using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Annals.InMemory;
using Annals.Projections;
using Annals.Storage;
using Annals.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Xunit;

namespace Annals.Tests.Projections;

public sealed class ProjectionHostTests
{
    private static readonly StreamName Order = StreamName.Parse("order.1");

    [Fact]
    public async Task The_host_reports_events_batches_lag_failures_and_parked_events_on_its_meter()
    {
        await using var store = new InMemoryEventStore();
        await store.AppendAsync(Order, ExpectedRevision.Any, [Event("Placed"), Event("Broken"), Event("Shipped")]);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var events = Collect<long>(meters, "annals.projection.events");
        using var parked = Collect<long>(meters, "annals.projection.parked");
        using var failures = Collect<long>(meters, "annals.projection.failures");
        using var durations = Collect<double>(meters, "annals.projection.batch.duration");
        using var lags = Collect<double>(meters, "annals.projection.lag");

        await using (var host = new ProjectionHost(store, meterFactory: meters))
        {
            host.Add("metered", new FailsOn("Broken"), new ProjectionOptions { OnFailure = FailurePolicy.Park, MaxRetries = 1, RetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero });
            await host.StartAsync();
            await host.WaitForPositionAsync("metered", 3).WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.All(
            [.. events.GetMeasurementSnapshot(), .. parked.GetMeasurementSnapshot(), .. failures.GetMeasurementSnapshot()],
            m => Assert.Equal("metered", m.Tags["projection"]));
        Assert.All([.. durations.GetMeasurementSnapshot(), .. lags.GetMeasurementSnapshot()], m => Assert.Equal("metered", m.Tags["projection"]));
        Assert.Equal(2, events.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Single(parked.GetMeasurementSnapshot());

        // The batch of three failed twice (MaxRetries = 1), then the broken event alone twice before it was parked.
        Assert.Equal(4, failures.GetMeasurementSnapshot().Count);
        Assert.NotEmpty(durations.GetMeasurementSnapshot());
        Assert.Equal(durations.GetMeasurementSnapshot().Count, lags.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public void Partitions_of_a_stream_are_the_same_in_every_process_and_spread_streams_evenly()
    {
        // Fixed values: a partition must never move between versions, or checkpoints would skip events.
        // FNV-1a of the UTF-8 name, modulo the partitions (computed independently).
        Assert.Equal([6, 3, 6, 4], new[] { "order.1", "order.2", "account.alice", "a.b" }.Select(s => StreamPartitions.Of(StreamName.Parse(s), 8)));

        var counts = Enumerable.Range(0, 8000).GroupBy(i => StreamPartitions.Of(StreamName.For("order", $"o{i}"), 8)).Select(g => g.Count()).ToList();
        Assert.Equal(8, counts.Count);
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamPartitions.Of(Order, 0));
    }

    [Fact]
    public async Task Bad_options_are_refused_when_a_projection_is_added()
    {
        await using var store = new InMemoryEventStore();
        await using var host = new ProjectionHost(store);

        Assert.Throws<ArgumentOutOfRangeException>(() => host.Add("a", new FailsOn("x"), new ProjectionOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Add("b", new FailsOn("x"), new ProjectionOptions { Partitions = 65 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => host.Add("c", new FailsOn("x"), new ProjectionOptions { MaxRetryDelay = TimeSpan.FromMilliseconds(1) }));
        Assert.Throws<InvalidNameException>(() => host.Add(new string('p', 181), new FailsOn("x")));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProjectionHost(store, new ProjectionHostOptions { LeaseDuration = TimeSpan.FromMilliseconds(1) }));
        Assert.Empty(host.Projections);
    }

    [Fact]
    public async Task A_partitioned_projection_without_leases_runs_every_partition_here_and_each_stream_in_one()
    {
        await using var store = new InMemoryEventStore();
        for (var i = 0; i < 12; i++)
        {
            await store.AppendAsync(StreamName.For("order", $"o{i}"), ExpectedRevision.Any, [Event("Placed"), Event("Shipped")]);
        }

        var seen = new ConcurrentDictionary<StreamName, ConcurrentBag<string>>();
        await using var host = new ProjectionHost(store);
        host.Add("split", new Records(seen), new ProjectionOptions { Partitions = 3 });
        await host.StartAsync();
        await host.WaitForPositionAsync("split", 24).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["split/p0", "split/p1", "split/p2"], host.Projections);
        Assert.Equal(12, seen.Count);
        Assert.All(seen, s => Assert.Equal($"split/p{StreamPartitions.Of(s.Key, 3)}", Assert.Single(s.Value.Distinct())));
        Assert.All(seen, s => Assert.Equal(2, s.Value.Count));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.RebuildAsync("split"));
    }

    [Fact]
    public async Task Stopping_ends_its_wait_when_its_token_is_cancelled_and_the_projection_stops_once_its_handler_returns()
    {
        await using var store = new InMemoryEventStore();
        await store.AppendAsync(Order, ExpectedRevision.Any, Event("Placed"));
        var handler = new Stuck();
        var host = new ProjectionHost(store);
        host.Add("stuck", handler);
        await host.StartAsync();
        await handler.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var shutdownTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => host.StopAsync(shutdownTimeout.Token));
        Assert.NotEqual(ProjectionState.Stopped, (await host.GetStatusAsync("stuck")).State);

        handler.Release.SetResult();
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ProjectionState.Stopped, (await host.GetStatusAsync("stuck")).State);
        // The handler finished its batch without heeding the stop, so the batch committed with its checkpoint.
        Assert.Equal(1, (await host.GetStatusAsync("stuck")).Position);
        await host.DisposeAsync();
    }

    private static EventData Event(string type) => new(Guid.NewGuid(), type, "{}"u8.ToArray());

    private static MetricCollector<T> Collect<T>(IMeterFactory meters, string instrument)
        where T : struct => new(meters, ProjectionMetrics.MeterName, instrument);

    /// <summary>A handler that does not heed cancellation: it returns only when released.</summary>
    private sealed class Stuck : IProjection
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task;
        }
    }

    private sealed class FailsOn(string type) : IProjection
    {
        public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken) =>
            batch.Events.Any(e => e.Type == type) ? throw new InvalidOperationException($"{type} events fail.") : ValueTask.CompletedTask;
    }

    private sealed class Records(ConcurrentDictionary<StreamName, ConcurrentBag<string>> seen) : IProjection
    {
        public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
        {
            foreach (var e in batch.Events)
            {
                seen.GetOrAdd(e.Stream, _ => []).Add(batch.Projection);
            }

            return ValueTask.CompletedTask;
        }
    }
}
