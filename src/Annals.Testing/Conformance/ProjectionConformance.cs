using Annals.Leases;
using Annals.Projections;
using Annals.Storage;
using Annals.Storage.Providers;
using Annals.Testing.Conformance.Projections;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Projections and subscriptions on a backend: catch-up then live without a miss or a reordering while writers append,
/// exactly-once effects through the checkpoint's commit, retries, stop and park policies, replay of parked events,
/// pause and resume, rebuild, one owner at a time through a lease, status, durable and volatile subscriptions.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class ProjectionConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly ProjectionOptions FastRetries = new() { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 2 };

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected ProjectionConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>8 writers append before and while the projection catches up and then follows live: it sees every event once, in log order, and its tally counts each once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Catch_up_then_live_misses_and_reorders_nothing_while_8_writers_append()
    {
        await using var store = await NewStoreAsync();
        await AppendManyAsync(store, writers: 8, commits: 40);
        var tally = new TallyProjection("all") { Store = store };
        await using var host = new ProjectionHost(store);
        host.Add("all", tally, new ProjectionOptions { BatchSize = 50 });
        await host.StartAsync();

        // Appends go on while it catches up and once it is live.
        await AppendManyAsync(store, writers: 8, commits: 40);
        await host.WaitForPositionAsync("all", await store.GetHeadPositionAsync()).WaitAsync(Patience);
        await AppendManyAsync(store, writers: 8, commits: 20);
        var log = await ReadAllAsync(store);
        await host.WaitForPositionAsync("all", log[^1].Position).WaitAsync(Patience);

        Assert.Equal(log.Select(e => e.Position), tally.Delivered.Select(e => e.Position));
        Assert.Equal((log.Count, log[^1].Position), await TallyProjection.ReadAsync(store, tally.Key));
        var status = await host.GetStatusAsync("all");
        Assert.Equal(ProjectionState.Live, status.State);
        Assert.Equal(log[^1].Position, status.Position);
        Assert.Equal(0, status.LagEvents);
        Assert.Equal(log.Count, status.HandledEvents);
    }

    /// <summary>A projection receives only the events of its filter, and its checkpoint still passes the others.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_projection_receives_only_its_filters_events()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, [NewEvent("Placed"), NewEvent("Shipped")]);
        await store.AppendAsync(S("user.1"), ExpectedRevision.Any, NewEvent("Placed"));
        var last = await store.AppendAsync(S("order.2"), ExpectedRevision.Any, NewEvent("Placed"));
        var tally = new TallyProjection("placed") { Store = store };
        await using var host = new ProjectionHost(store);
        host.Add("placed", tally, new ProjectionOptions { Filter = EventFilter.Parse("order.*.Placed") });
        await host.StartAsync();

        await host.WaitForPositionAsync("placed", last.LastPosition).WaitAsync(Patience);

        Assert.Equal(["order.1", "order.2"], tally.Delivered.Select(e => e.Stream.Value));
        Assert.Equal(2, (await TallyProjection.ReadAsync(store, tally.Key)).Count);
    }

    /// <summary>A host stopped with a batch in hand and started again counts every event exactly once: the effect and the checkpoint commit together.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Stopping_mid_batch_and_starting_again_counts_every_event_exactly_once()
    {
        await using var store = await NewStoreAsync();
        await AppendManyAsync(store, writers: 4, commits: 25);
        var tally = new TallyProjection("once") { Store = store, HoldAfter = 30 };
        var first = new ProjectionHost(store);
        first.Add("once", tally, new ProjectionOptions { BatchSize = 7, CatchUpBatchSize = 7 });
        await first.StartAsync();
        await WaitUntilAsync(() => tally.Holding);
        await first.DisposeAsync();
        tally.HoldAfter = null;

        var log = await ReadAllAsync(store);
        await using var second = new ProjectionHost(store);
        second.Add("once", tally);
        await second.StartAsync();
        await second.WaitForPositionAsync("once", log[^1].Position).WaitAsync(Patience);

        Assert.Equal((log.Count, log[^1].Position), await TallyProjection.ReadAsync(store, tally.Key));
        Assert.True(tally.Delivered.Count > log.Count, "The batch in hand when the host stopped is delivered again.");
    }

    /// <summary>A batch that fails a few times is retried and then handled once; the error is cleared.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_transiently_failing_batch_is_retried_and_handled_once()
    {
        await using var store = await NewStoreAsync();
        var appended = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(3));
        var tally = new TallyProjection("retry") { Store = store };
        var events = await ReadAllAsync(store);
        tally.FailTransiently(events[1].EventId, 2);
        await using var host = new ProjectionHost(store);
        host.Add("retry", tally, FastRetries);
        await host.StartAsync();

        await host.WaitForPositionAsync("retry", appended.LastPosition).WaitAsync(Patience);

        Assert.Equal((3, appended.LastPosition), await TallyProjection.ReadAsync(store, tally.Key));
        var status = await host.GetStatusAsync("retry");
        Assert.Null(status.LastError);
        Assert.Equal(ProjectionState.Live, status.State);
    }

    /// <summary>Under the stop policy a poison event faults the projection with its error kept, at the checkpoint before it; resumed once fixed, it goes on.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_poison_event_faults_a_stopping_projection_until_it_is_resumed()
    {
        await using var store = await NewStoreAsync();
        var before = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvent("Ok", "{\"n\":1}"));
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, [NewEvent("Bad", "{\"bad\":true}"), NewEvent("Ok", "{\"n\":2}")]);
        var tally = new TallyProjection("stopping") { Store = store, Poison = "{\"bad\":true}" };
        await using var host = new ProjectionHost(store);
        host.Add("stopping", tally, FastRetries);
        await host.StartAsync();

        var faulted = await WaitForStateAsync(host, "stopping", ProjectionState.Faulted);

        Assert.True(before.LastPosition == faulted.Position, $"Faulted at {faulted.Position}, not {before.LastPosition}; delivered {string.Join(',', tally.Delivered.Select(e => e.Position))}; last error: {faulted.LastError}");
        Assert.IsType<InvalidOperationException>(faulted.LastError);
        Assert.Equal((1, before.LastPosition), await TallyProjection.ReadAsync(store, tally.Key));

        tally.Poison = null;
        host.Resume("stopping");
        var head = await store.GetHeadPositionAsync();
        await host.WaitForPositionAsync("stopping", head).WaitAsync(Patience);
        Assert.Equal((3, head), await TallyProjection.ReadAsync(store, tally.Key));
    }

    /// <summary>Under the park policy a poison event is parked and listed, the others handled; a requested replay hands it over again and removes it once handled.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_poison_event_is_parked_listed_and_replayed_on_request()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, [NewEvent("Ok"), NewEvent("Bad", "{\"bad\":true}"), NewEvent("Ok")]);
        var head = await store.GetHeadPositionAsync();
        var tally = new TallyProjection("parking") { Store = store, Poison = "{\"bad\":true}" };
        await using var host = new ProjectionHost(store, new ProjectionHostOptions { ParkedCheckInterval = TimeSpan.FromMilliseconds(20) });
        host.Add("parking", tally, new ProjectionOptions { OnFailure = FailurePolicy.Park, RetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.Zero, MaxRetries = 1 });
        await host.StartAsync();

        await host.WaitForPositionAsync("parking", head).WaitAsync(Patience);
        var parked = Assert.Single(await ParkedEvents.ListAsync(store, "parking"));
        Assert.Equal(head - 1, parked.Position);
        Assert.Equal("Bad", parked.Type);
        Assert.Contains("is poison", parked.Error, StringComparison.Ordinal);
        Assert.False(parked.ReplayRequested);
        Assert.Equal((2, head), await TallyProjection.ReadAsync(store, tally.Key));
        Assert.Equal(1, (await host.GetStatusAsync("parking")).ParkedEvents);

        // Still poison: the replay fails and the event stays parked, its failure counted.
        Assert.Equal(1, await ParkedEvents.RequestReplayAsync(store, "parking"));
        await WaitUntilAsync(async () => (await ParkedEvents.ListAsync(store, "parking")) is [{ Failures: 1, ReplayRequested: false }]);

        tally.Poison = null;
        await ParkedEvents.RequestReplayAsync(store, "parking", parked.EventId);
        await WaitUntilAsync(async () => (await ParkedEvents.ListAsync(store, "parking")).Count == 0);
        Assert.Equal(3, (await TallyProjection.ReadAsync(store, tally.Key)).Count);
        Assert.True(tally.Delivered.Last().EventId == parked.EventId);
    }

    /// <summary>A paused projection handles nothing new; resumed, it catches up from its checkpoint.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_paused_projection_handles_nothing_until_resumed()
    {
        await using var store = await NewStoreAsync();
        var first = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        var tally = new TallyProjection("pausing") { Store = store };
        var clock = new FakeTimeProvider();
        await using var host = new ProjectionHost(store, timeProvider: clock);
        host.Add("pausing", tally);
        await host.StartAsync();
        await host.WaitForPositionAsync("pausing", first.LastPosition).WaitAsync(Patience);

        host.Pause("pausing");
        await WaitForStateAsync(host, "pausing", ProjectionState.Paused);
        var later = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(3));
        await Task.Delay(100);

        // The lag counts from the commit of the first event not handled, on the host's clock.
        var waiting = (await store.ReadAllAsync(first.LastPosition, maxCount: 1).ToListAsync())[0];
        clock.SetUtcNow(waiting.Timestamp + TimeSpan.FromSeconds(5));
        var paused = await host.GetStatusAsync("pausing");
        Assert.Equal(first.LastPosition, paused.Position);
        Assert.Equal(3, paused.LagEvents);
        Assert.Equal(5, paused.LagSeconds, precision: 3);

        host.Resume("pausing");
        await host.WaitForPositionAsync("pausing", later.LastPosition).WaitAsync(Patience);
        Assert.Equal((5, later.LastPosition), await TallyProjection.ReadAsync(store, tally.Key));
    }

    /// <summary>A rebuild clears the read model and the checkpoint in one commit and replays the whole log into it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_rebuild_resets_the_read_model_and_replays_from_the_start()
    {
        await using var store = await NewStoreAsync();
        var appended = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(4));
        var tally = new TallyProjection("rebuilt") { Store = store };
        await using var host = new ProjectionHost(store);
        host.Add("rebuilt", tally);
        await host.StartAsync();
        await host.WaitForPositionAsync("rebuilt", appended.LastPosition).WaitAsync(Patience);

        await host.RebuildAsync("rebuilt").WaitAsync(Patience);
        var more = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        await host.WaitForPositionAsync("rebuilt", more.LastPosition).WaitAsync(Patience);

        Assert.Equal((6, more.LastPosition), await TallyProjection.ReadAsync(store, tally.Key));
        Assert.Equal(10, tally.Delivered.Count);
        Assert.Equal(6, (await host.GetStatusAsync("rebuilt")).HandledEvents);
    }

    /// <summary>
    /// A side-by-side rebuild fills the next generation while the current one keeps serving and counting new events;
    /// readers switch once it has caught up, the old generation is dropped, and the projection goes on in the new one,
    /// also after a restart.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_side_by_side_rebuild_serves_the_old_read_model_until_the_new_one_has_caught_up()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(50));
        var handler = new GenerationTallyProjection(store);
        var options = new ProjectionOptions { BatchSize = 10, CatchUpBatchSize = 10 };
        var host = new ProjectionHost(store);
        host.Add("generations", handler, options);
        await host.StartAsync();
        await host.WaitForPositionAsync("generations", await store.GetHeadPositionAsync()).WaitAsync(Patience);
        Assert.Equal(50, await GenerationTallyProjection.CountAsync(store, 0));

        handler.SlowGeneration = 1;
        var rebuild = host.RebuildAsync("generations");
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(10));
        await WaitUntilAsync(async () => await GenerationTallyProjection.CountAsync(store, 0) == 60);
        Assert.False(rebuild.IsCompleted, "The rebuild is still filling generation 1.");
        Assert.Equal(0, await GenerationTallyProjection.ActiveAsync(store));

        await rebuild.WaitAsync(Patience);
        Assert.Equal(1, await GenerationTallyProjection.ActiveAsync(store));
        Assert.Null(await GenerationTallyProjection.CountAsync(store, 0));
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(5));
        await host.WaitForPositionAsync("generations", await store.GetHeadPositionAsync()).WaitAsync(Patience);
        Assert.Equal(65, await GenerationTallyProjection.CountAsync(store, 1));
        await host.DisposeAsync();

        await using var restarted = new ProjectionHost(store);
        restarted.Add("generations", new GenerationTallyProjection(store), options);
        await restarted.StartAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        await restarted.WaitForPositionAsync("generations", await store.GetHeadPositionAsync()).WaitAsync(Patience);
        Assert.Equal(67, await GenerationTallyProjection.CountAsync(store, 1));
        Assert.Null(await GenerationTallyProjection.CountAsync(store, 0));
    }

    /// <summary>Two hosts share a lease manager: one runs the projection, the other waits; when the first stops, the second takes over from the checkpoint and nothing is counted twice.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task With_a_lease_one_host_runs_a_projection_and_another_takes_over_from_its_checkpoint()
    {
        await using var store = await NewStoreAsync();
        var leases = new InMemoryLeaseManager();
        var options = new ProjectionHostOptions { Leases = leases, LeaseDuration = TimeSpan.FromMilliseconds(300) };
        var first = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(3));
        var tallyA = new TallyProjection("leased") { Store = store };
        var tallyB = new TallyProjection("leased") { Store = store };
        var hostA = new ProjectionHost(store, new ProjectionHostOptions { Leases = leases, LeaseDuration = options.LeaseDuration, Owner = "a" });
        await using var hostB = new ProjectionHost(store, new ProjectionHostOptions { Leases = leases, LeaseDuration = options.LeaseDuration, Owner = "b" });
        hostA.Add("leased", tallyA);
        hostB.Add("leased", tallyB);
        await hostA.StartAsync();
        await hostA.WaitForPositionAsync("leased", first.LastPosition).WaitAsync(Patience);
        await hostB.StartAsync();
        await WaitForStateAsync(hostB, "leased", ProjectionState.WaitingForLease);
        var second = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        await hostA.WaitForPositionAsync("leased", second.LastPosition).WaitAsync(Patience);

        await hostA.DisposeAsync();
        var third = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        await hostB.WaitForPositionAsync("leased", third.LastPosition).WaitAsync(Patience);

        Assert.DoesNotContain(tallyB.Delivered, e => e.Position <= second.LastPosition);
        Assert.Equal(5, tallyA.Delivered.Count);
        Assert.Equal((7, third.LastPosition), await TallyProjection.ReadAsync(store, tallyA.Key));
    }

    /// <summary>
    /// Three hosts join a consumer group of a projection in 6 partitions one after another, and the first leaves, while
    /// writers append: the partitions spread evenly at each step, no stream is handled by two members at once, and every
    /// stream's events are counted once, in order.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_consumer_group_shares_partitions_rebalances_and_never_handles_a_stream_twice_at_once()
    {
        await using var store = await NewStoreAsync();
        var leases = new InMemoryLeaseManager();
        var inHand = new System.Collections.Concurrent.ConcurrentDictionary<StreamName, string>();
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new ProjectionOptions { Partitions = 6, BatchSize = 20 };
        ProjectionHost Member(string name)
        {
            var host = new ProjectionHost(store, new ProjectionHostOptions { Leases = leases, LeaseDuration = TimeSpan.FromMilliseconds(300), Owner = name });
            host.Add("grouped", new GroupTallyProjection(name, store, inHand, violations), options);
            return host;
        }

        using var stopWriting = new CancellationTokenSource();
        var writing = Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stopWriting.IsCancellationRequested; i++)
            {
                await store.AppendAsync(S($"order.s{(i * 7 + w) % 16}"), ExpectedRevision.Any, NewEvents(1 + (i % 2)));
                await Task.Delay(1);
            }
        })));

        var a = Member("a");
        await using var b = Member("b");
        await using var c = Member("c");
        try
        {
            await a.StartAsync();
            await WaitForSharesAsync([a], 6);
            await b.StartAsync();
            await WaitForSharesAsync([a, b], 3);
            await c.StartAsync();
            await WaitForSharesAsync([a, b, c], 2);
            await a.DisposeAsync();
            await WaitForSharesAsync([b, c], 3);
        }
        finally
        {
            await stopWriting.CancelAsync();
            await writing;
            await a.DisposeAsync();
        }

        var head = await store.GetHeadPositionAsync();
        await b.WaitForPositionAsync("grouped", head).WaitAsync(Patience);
        await c.WaitForPositionAsync("grouped", head).WaitAsync(Patience);

        Assert.Empty(violations);
        var log = await ReadAllAsync(store);
        foreach (var stream in log.GroupBy(e => e.Stream))
        {
            var state = await store.ReadStateAsync(GroupTallyProjection.KeyOf(stream.Key));
            Assert.NotNull(state);
            Assert.Equal(stream.Count().ToString(System.Globalization.CultureInfo.InvariantCulture), System.Text.Encoding.UTF8.GetString(state.Data.Span));
        }
    }

    /// <summary>Projections are added, listed and removed at runtime; a bad name or a second projection of one name is refused.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Projections_are_added_listed_and_removed_at_runtime()
    {
        await using var store = await NewStoreAsync();
        await using var host = new ProjectionHost(store);
        await host.StartAsync();
        var appended = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(2));
        host.Add("one", new TallyProjection("one") { Store = store }).Add("two", new TallyProjection("two") { Store = store });

        await host.WaitForPositionAsync("two", appended.LastPosition).WaitAsync(Patience);
        Assert.Equal(["one", "two"], host.Projections);
        Assert.Throws<InvalidOperationException>(() => host.Add("one", new TallyProjection("one")));
        Assert.Throws<InvalidNameException>(() => host.Add("bad name", new TallyProjection("bad")));
        Assert.True(await host.RemoveAsync("one"));
        Assert.False(await host.RemoveAsync("one"));
        Assert.Equal(["two"], host.Projections);
        Assert.Throws<ArgumentException>(() => host.Pause("one"));
        Assert.Equal(ProjectionState.Live, Assert.Single(await host.GetStatusesAsync()).State);
    }

    /// <summary>A durable subscription resumes after the last event its consumer asked past; a volatile one sees only what comes after it started.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_durable_subscription_resumes_after_its_checkpoint_and_a_volatile_one_starts_now()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvents(5));
        var log = await ReadAllAsync(store);
        using var timeout = new CancellationTokenSource(Patience);

        var seen = new List<long>();
        await foreach (var e in store.SubscribeDurableAsync("reader", checkpointEvery: 1, cancellationToken: timeout.Token))
        {
            seen.Add(e.Position);
            if (seen.Count == 3)
            {
                break;
            }
        }

        // The third was not asked past: it comes again.
        Assert.Equal(log[1].Position, await store.ReadCheckpointAsync("reader"));
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var volatileTask = FirstAsync(store.SubscribeFromNowAsync(null, () => listening.TrySetResult(), timeout.Token));
        var resumed = FirstAsync(store.SubscribeDurableAsync("reader", cancellationToken: timeout.Token));
        Assert.Equal(log[2].Position, (await resumed).Position);
        await listening.Task.WaitAsync(Patience);
        var appended = await store.AppendAsync(S("order.1"), ExpectedRevision.Any, NewEvent());
        Assert.Equal(appended.LastPosition, (await volatileTask).Position);
    }

    private static async Task<RecordedEvent> FirstAsync(IAsyncEnumerable<RecordedEvent> events)
    {
        await foreach (var e in events)
        {
            return e;
        }

        throw new InvalidOperationException("The subscription ended.");
    }

    private static async Task AppendManyAsync(IEventStore store, int writers, int commits) =>
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < commits; i++)
            {
                await store.AppendAsync(S($"order.w{w}"), ExpectedRevision.Any, NewEvents(1 + (i % 3)));
            }
        })));

    /// <summary>Waits until each host runs exactly <paramref name="share"/> partitions and the others wait for their leases.</summary>
    private async Task WaitForSharesAsync(ProjectionHost[] hosts, int share)
    {
        static bool Runs(ProjectionStatus s) => s.State is ProjectionState.Live or ProjectionState.CatchingUp;
        await WaitUntilAsync(async () =>
        {
            foreach (var host in hosts)
            {
                if ((await host.GetStatusesAsync()).Count(Runs) != share)
                {
                    return false;
                }
            }

            return true;
        });
    }

    private async Task<ProjectionStatus> WaitForStateAsync(ProjectionHost host, string name, ProjectionState state)
    {
        ProjectionStatus? status = null;
        await WaitUntilAsync(async () => (status = await host.GetStatusAsync(name)).State == state);
        return status!;
    }

    private Task WaitUntilAsync(Func<bool> condition, TimeSpan? patience = null) => WaitUntilAsync(() => Task.FromResult(condition()), patience);

    private async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                if (patience is not null)
                {
                    return;
                }

                throw new TimeoutException("The condition was not met in time.");
            }

            await Task.Delay(10);
        }
    }
}
