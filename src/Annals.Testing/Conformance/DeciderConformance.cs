using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;
using Annals.Storage.Providers;
using Annals.Testing.Conformance.Deciders;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>The decider helpers (decide, decide-and-evolve, consistency over a filter, evolve, watch) on a backend.</summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract partial class DeciderConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly StreamName Counter = StreamName.Parse("counter.1");
    private readonly CounterDecider _counter = new();

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected DeciderConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>Decide appends the events and returns state revision and position.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Decide_appends_the_events_and_returns_state_revision_and_position()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(2));

        var decision = await typed.DecideAsync(Counter, _counter, new Increment(3));

        Assert.Equal([new Incremented(3)], decision.Events);
        Assert.Equal(new CounterState(5, 2), decision.State);
        Assert.Equal(1, decision.Revision);
        Assert.Equal(1, decision.Attempts);
        var stored = await ReadStreamAsync(typed.Store, Counter);
        Assert.Equal(["counter-incremented", "counter-incremented"], stored.Select(e => e.Type));
        Assert.Equal(stored[1].Position, decision.Position);
        Assert.Equal("""{"by":3}""", stored[1].DataAsText());
    }

    /// <summary>Decide with no events stores nothing and keeps the revision.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Decide_with_no_events_stores_nothing_and_keeps_the_revision()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(2));

        var decision = await typed.DecideAsync(Counter, _counter, new Increment(0));

        Assert.Empty(decision.Events);
        Assert.Equal(0, decision.Revision);
        Assert.Null(decision.Position);
        Assert.Single(await ReadStreamAsync(typed.Store, Counter));
    }

    /// <summary>Decide lets the deciders rejection through and stores nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Decide_lets_the_deciders_rejection_through_and_stores_nothing()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);

        var error = await Assert.ThrowsAsync<CounterRejectedException>(() => typed.DecideAsync(Counter, _counter, new Increment(-1)));

        Assert.Equal("Cannot add -1.", error.Message);
        Assert.Empty(await ReadAllAsync(typed.Store));
    }

    /// <summary>Sixteen concurrent decisions on one stream each count exactly once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Sixteen_concurrent_decisions_on_one_stream_each_count_exactly_once()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var options = new DecideOptions { MaxAttempts = 100 };
        using var timeout = new CancellationTokenSource(Patience);

        var decisions = await RunTogetherAsync(16, (_, ct) => typed.DecideAsync(Counter, _counter, new Increment(1), options, ct), timeout.Token);

        var final = await typed.LoadAsync(Counter, _counter);
        Assert.Equal(new CounterState(16, 16), final.State);
        Assert.Equal(15, final.Revision);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (long?)i), decisions.Select(d => d.Revision).Order());
        Assert.Equal(Enumerable.Range(1, 16), decisions.Select(d => d.State.Total).Order());
    }

    /// <summary>Sixteen decisions made from one state, released together, all lose but one race and each count exactly once after deciding again.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Sixteen_decisions_from_one_stale_state_decide_again_until_each_counts_once()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(100));
        var options = new DecideOptions { MaxAttempts = 100 };
        var decisions = new Decision<CounterState, Incremented>[16];
        using var timeout = new CancellationTokenSource(Patience);

        var outcomes = await RaceAsync<DecisionConflictException>(
            16,
            async (i, ct) =>
            {
                var loaded = await typed.LoadAsync(Counter, _counter, ct);
                return async () => decisions[i] = await typed.DecideAndEvolveAsync(loaded, _counter, new Increment(1), options, ct);
            },
            timeout.Token);

        Assert.All(outcomes, o => Assert.True(o.Won));
        Assert.Equal(new CounterState(116, 17), (await typed.LoadAsync(Counter, _counter)).State);
        Assert.Single(decisions, d => d.Attempts == 1);
        Assert.Equal(Enumerable.Range(101, 16), decisions.Select(d => d.State.Total).Order());
    }

    /// <summary><c>DecideAndEvolveAsync</c> from a stale state catches up and decides again.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task DecideAndEvolve_from_a_stale_state_catches_up_and_decides_again()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var first = await typed.DecideAsync(Counter, _counter, new Increment(1));
        await typed.DecideAsync(Counter, _counter, new Increment(10));

        var decision = await typed.DecideAndEvolveAsync(first.After, _counter, new Increment(100));

        Assert.Equal(2, decision.Attempts);
        Assert.Equal(new CounterState(111, 3), decision.State);
        Assert.Equal(2, decision.Revision);
        var next = await typed.DecideAndEvolveAsync(decision.After, _counter, new Increment(1000));
        Assert.Equal(1, next.Attempts);
        Assert.Equal(1111, next.State.Total);
    }

    /// <summary>Decide gives up with a typed conflict after its attempts and stores nothing.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Decide_gives_up_with_a_typed_conflict_after_its_attempts_and_stores_nothing()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var stale = await typed.LoadAsync(Counter, _counter);
        await typed.DecideAsync(Counter, _counter, new Increment(1));

        var error = await Assert.ThrowsAsync<DecisionConflictException>(() => typed.DecideAndEvolveAsync(stale, _counter, new Increment(5), new DecideOptions { MaxAttempts = 1 }));

        Assert.Equal(Counter, error.Stream);
        Assert.Equal(1, error.Attempts);
        Assert.IsType<WrongExpectedRevisionException>(error.InnerException);
        Assert.Single(await ReadStreamAsync(typed.Store, Counter));
    }

    /// <summary>Decided events carry the commands correlation and causation ids.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Decided_events_carry_the_commands_correlation_and_causation_ids()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var command = new MessageContext("command-7", "journey-1", new Dictionary<string, string> { ["user"] = "ada" });

        await typed.DecideAsync(Counter, _counter, new Increment(1), new DecideOptions { Context = command });
        var first = Assert.Single(await ReadStreamAsync(typed.Store, Counter));
        await typed.DecideAsync(StreamName.Parse("counter.2"), _counter, new Increment(1), new DecideOptions { Context = MessageContext.CausedBy(first) });

        Assert.Equal("journey-1", first.Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal("command-7", first.Metadata[MetadataKeys.CausationId]);
        Assert.Equal("ada", first.Metadata["user"]);
        var caused = Assert.Single(await ReadStreamAsync(typed.Store, StreamName.Parse("counter.2")));
        Assert.Equal("journey-1", caused.Metadata[MetadataKeys.CorrelationId]);
        Assert.NotEqual(first.EventId.ToString(), caused.Metadata[MetadataKeys.CausationId]);
    }

    /// <summary>Events decided with a context take ids derived from their stream, the command's id and their index; without one, new time-ordered ids.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Events_decided_with_a_context_take_ids_derived_from_stream_command_and_index()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var other = StreamName.Parse("counter.2");

        await typed.DecideAsync(Counter, _counter, new Increment(1), new DecideOptions { Context = new MessageContext("command-1") });
        await typed.DecideAsync(Counter, _counter, new Increment(1), new DecideOptions { Context = new MessageContext("command-2") });
        await typed.DecideAsync(other, _counter, new Increment(1), new DecideOptions { Context = new MessageContext("command-1") });
        await typed.DecideAsync(other, _counter, new Increment(1));

        Assert.Equal([EventIds.Derive(Counter, "command-1", 0), EventIds.Derive(Counter, "command-2", 0)], (await ReadStreamAsync(store, Counter)).Select(e => e.EventId));
        var others = await ReadStreamAsync(store, other);
        Assert.Equal(EventIds.Derive(other, "command-1", 0), others[0].EventId);
        Assert.Equal(7, others[1].EventId.Version);
    }

    /// <summary>A command decided again with its context stores nothing twice and returns the first decision's revision and position, with the stream's state.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_decided_again_with_its_context_is_stored_once_and_returns_the_first_append()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        var options = new DecideOptions { Context = new MessageContext("deposit-1") };

        var first = await typed.DecideAsync(Counter, _counter, new Increment(5), options);
        var again = await typed.DecideAsync(Counter, _counter, new Increment(5), options);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal((1L, first.Position), (again.Revision, again.Position));
        Assert.Equal([new Incremented(5)], again.Events);
        Assert.Equal(new CounterState(6, 2), again.State);
        Assert.Equal(await typed.LoadAsync(Counter, _counter), again.After);
        Assert.Equal(2, (await ReadStreamAsync(store, Counter)).Count);
    }

    /// <summary>A command decided again after the stream moved on, on a state with its events or one from before them, returns its first append and the stream's state now, never its events folded twice.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_decided_again_after_the_stream_moved_on_returns_its_first_append_and_the_state_now()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var options = new DecideOptions { Context = new MessageContext("deposit-1") };
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        var held = await typed.LoadAsync(Counter, _counter);
        await typed.DecideAsync(Counter, _counter, new Increment(10));
        var first = await typed.DecideAsync(Counter, _counter, new Increment(5), options);
        await typed.DecideAsync(Counter, _counter, new Increment(100));

        var onTheStateNow = await typed.DecideAsync(Counter, _counter, new Increment(5), options);
        var onAnOlderState = await typed.DecideAndEvolveAsync(held, _counter, new Increment(5), options);

        Assert.All([onTheStateNow, onAnOlderState], again =>
        {
            Assert.True(again.Replayed);
            Assert.Equal((2L, first.Position), (again.Revision, again.Position));
            Assert.Equal([new Incremented(5)], again.Events);
            Assert.Equal(new StreamState<CounterState>(Counter, new CounterState(116, 4), 3), again.After);
        });
        var next = await typed.DecideAndEvolveAsync(onAnOlderState.After, _counter, new Increment(1000));
        Assert.Equal(1, next.Attempts);
        Assert.Equal(new CounterState(1116, 5), next.State);
        Assert.Equal(5, (await ReadStreamAsync(store, Counter)).Count);
    }

    /// <summary>A command decided again when a snapshot is due stores nothing twice, and no snapshot of a state that counts its events twice.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_command_decided_again_with_a_snapshot_due_snapshots_no_state_counting_it_twice()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var options = new DecideOptions { Context = new MessageContext("deposit-1"), SnapshotEvery = 1 };
        var first = await typed.DecideAsync(Counter, _counter, new Increment(5), options);
        Assert.Equal(0, (await store.ReadSnapshotAsync(Counter))?.Revision);

        var again = await typed.DecideAsync(Counter, _counter, new Increment(5), options);
        await typed.AppendAsync(Counter, ExpectedRevision.Any, [new Incremented(10)]);
        var onAStaleState = await typed.DecideAndEvolveAsync(first.After, _counter, new Increment(5), options);

        Assert.True(again.Replayed);
        Assert.Equal((first.Revision, first.Position, first.State), (again.Revision, again.Position, again.State));
        Assert.True(onAStaleState.Replayed);
        Assert.Equal(new StreamState<CounterState>(Counter, new CounterState(15, 2), 1), onAStaleState.After);
        Assert.Equal(0, (await store.ReadSnapshotAsync(Counter))?.Revision);
        Assert.Equal(new CounterState(15, 2), (await typed.LoadAsync(Counter, _counter)).State);
        Assert.Equal(2, (await ReadStreamAsync(store, Counter)).Count);
    }

    /// <summary>Snapshots are saved with the events every n and loading starts from them.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Snapshots_are_saved_with_the_events_every_n_and_loading_starts_from_them()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var options = new DecideOptions { SnapshotEvery = 3 };
        for (var i = 0; i < 7; i++)
        {
            await typed.DecideAsync(Counter, _counter, new Increment(1), options);
        }

        var snapshot = await typed.Store.ReadSnapshotAsync(Counter);
        Assert.NotNull(snapshot);
        Assert.Equal(5, snapshot.Revision);
        Assert.Equal("counter-state-v1", snapshot.Type);

        // A snapshot that disagrees with the events shows that loading started from it.
        await typed.Store.CommitAsync(new CommitBatch().SaveSnapshot(Counter, 6, "counter-state-v1", Text("""{"total":1000,"increments":7}""")));
        Assert.Equal(1000, (await typed.LoadAsync(Counter, _counter)).State.Total);

        // The cache holds the state the events made; a decision without it loads from the snapshot.
        var decision = await typed.DecideAsync(Counter, _counter, new Increment(1), new DecideOptions { UseCache = false });
        Assert.Equal(new CounterState(1001, 8), decision.State);
    }

    /// <summary>A snapshot of another state version or unreadable data is ignored.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_snapshot_of_another_state_version_or_unreadable_data_is_ignored()
    {
        await using var store = await NewStoreAsync();
        var v1 = new TypedEventStore(store, DeciderTypes.Registry(stateVersion: 1));
        for (var i = 0; i < 3; i++)
        {
            await v1.DecideAsync(Counter, _counter, new Increment(2), new DecideOptions { SnapshotEvery = 2 });
        }

        Assert.Equal("counter-state-v1", (await store.ReadSnapshotAsync(Counter))?.Type);
        var v2 = new TypedEventStore(store, DeciderTypes.Registry(stateVersion: 2));
        Assert.Equal(new CounterState(6, 3), (await v2.LoadAsync(Counter, _counter)).State);

        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveSnapshot(Counter, 2, "counter-state-v1", Text("""{"total":999,""")));
        Assert.Equal(new CounterState(6, 3), (await v1.LoadAsync(Counter, _counter)).State);
    }

    /// <summary>Of two concurrent claims of one username exactly one succeeds in every trial.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Of_two_concurrent_claims_of_one_username_exactly_one_succeeds_in_every_trial()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var decider = new UsernameDecider();
        using var timeout = new CancellationTokenSource(Patience * 4);
        for (var trial = 0; trial < 100; trial++)
        {
            var username = $"name-{trial}";
            var outcomes = await RaceAsync<UsernameTakenException>(
                2,
                (racer, ct) => typed.DecideAsync(UsernameDecider.Claims, StreamName.For("user", $"{trial}-{racer}"), decider, new ClaimUsername($"{trial}-{racer}", username), cancellationToken: ct),
                timeout.Token);

            SingleWinner(outcomes, $"trial {trial}");
        }

        var claims = await ReadAllAsync(typed.Store, UsernameDecider.Claims);
        Assert.Equal(100, claims.Count);
        Assert.Equal(100, claims.Select(c => c.DataAsText()).Select(t => t[(t.IndexOf("\"username\"", StringComparison.Ordinal))..]).Distinct().Count());
    }

    /// <summary>A claim on a filter sees claims in other streams and ignores other events.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_claim_on_a_filter_sees_claims_in_other_streams_and_ignores_other_events()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var decider = new UsernameDecider();
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        var first = await typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.ada"), decider, new ClaimUsername("ada", "ada"));

        await Assert.ThrowsAsync<UsernameTakenException>(() => typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.bob"), decider, new ClaimUsername("bob", "ada")));
        var other = await typed.DecideAsync(UsernameDecider.Claims, StreamName.Parse("user.bob"), decider, new ClaimUsername("bob", "bob"));

        Assert.Equal(0, first.Revision);
        Assert.Equal(0, other.Revision);
        Assert.Equal(["ada", "bob"], other.State.Order());
        Assert.Null(await typed.Store.GetStreamInfoAsync(StreamName.Parse("user.carol")));
    }

    /// <summary>A decision over a filter decided again with its context stores nothing twice and returns the first append, with the filter's state now.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_decision_over_a_filter_decided_again_with_its_context_is_stored_once()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var counters = EventFilter.ForCategories("counter");
        var other = StreamName.Parse("counter.2");
        var options = new DecideOptions { Context = new MessageContext("deposit-1") };
        await typed.DecideAsync(other, _counter, new Increment(1));

        var first = await typed.DecideAsync(counters, Counter, _counter, new Increment(5), options);
        await typed.DecideAsync(other, _counter, new Increment(10));
        var again = await typed.DecideAsync(counters, Counter, _counter, new Increment(5), options);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        Assert.Equal((0L, first.Position), (again.Revision, again.Position));
        Assert.Equal([new Incremented(5)], again.Events);
        Assert.Equal(new CounterState(16, 3), again.State);
        Assert.Equal((await typed.EvolveAsync(_counter, new EvolveOptions { Filter = counters })).State, again.State);
        var stored = Assert.Single(await ReadStreamAsync(store, Counter));
        Assert.Equal(EventIds.Derive(Counter, "deposit-1", 0), stored.EventId);
    }

    /// <summary>Evolve folds the events of a filter between its after and stop positions.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Evolve_folds_the_events_of_a_filter_between_its_after_and_stop_positions()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        var positions = new List<long>();
        for (var i = 1; i <= 6; i++)
        {
            var stream = StreamName.For("counter", (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
            positions.Add((await typed.DecideAsync(stream, _counter, new Increment(i))).Position!.Value);
        }

        var odd = EventFilter.ForStreams(StreamName.Parse("counter.1"));
        var all = await typed.EvolveAsync(_counter);
        var window = await typed.EvolveAsync(_counter, new EvolveOptions { AfterPosition = positions[1], StopPosition = positions[4] });
        var oddOnly = await typed.EvolveAsync(_counter, new EvolveOptions { Filter = odd });
        var resumed = await typed.EvolveAsync(_counter, new CounterState(1, 1), new EvolveOptions { Filter = odd, AfterPosition = positions[0] });

        Assert.Equal(new EvolveResult<CounterState>(new CounterState(21, 6), positions[5], 6), all);
        Assert.Equal(new EvolveResult<CounterState>(new CounterState(3 + 4 + 5, 3), positions[4], 3), window);
        Assert.Equal(new EvolveResult<CounterState>(new CounterState(1 + 3 + 5, 3), positions[4], 3), oddOnly);
        Assert.Equal(oddOnly.State, resumed.State);
        Assert.Equal(2, resumed.Count);
    }

    /// <summary>A watcher catches up follows new events and reaches a decisions position.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_watcher_catches_up_follows_new_events_and_reaches_a_decisions_position()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(5));
        await using var watcher = typed.Watch(_counter, new WatchOptions { Filter = EventFilter.ForCategories("counter") });
        using var timeout = new CancellationTokenSource(Patience);

        for (var i = 0; i < 20; i++)
        {
            var decision = await typed.DecideAsync(Counter, _counter, new Increment(1));
            await watcher.WaitForPositionAsync(decision.Position!.Value, timeout.Token);
            Assert.Equal(decision.State, watcher.State);
            Assert.Equal(decision.Position, watcher.Position);
        }

        Assert.Equal(21, watcher.Read((state, _) => state.Increments));
    }

    /// <summary>Waiting for a position whose events the watcher does not follow returns at once.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Waiting_for_a_position_whose_events_the_watcher_does_not_follow_returns_at_once()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(5));
        await using var watcher = typed.Watch(_counter, new WatchOptions { Filter = EventFilter.ForCategories("counter") });
        using var timeout = new CancellationTokenSource(Patience);
        await watcher.WaitForPositionAsync(1, timeout.Token);

        var elsewhere = await typed.Store.AppendAsync(StreamName.Parse("other.1"), ExpectedRevision.Any, NewEvent());
        await watcher.WaitForPositionAsync(elsewhere.LastPosition, timeout.Token);

        Assert.Equal(1, watcher.Position);
        Assert.Equal(5, watcher.State.Total);
    }

    /// <summary>A watcher stops on an unreadable event unless told to skip it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_watcher_stops_on_an_unreadable_event_unless_told_to_skip_it()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        var mystery = await typed.Store.AppendAsync(Counter, ExpectedRevision.Any, NewEvent("mystery"));
        var after = await typed.AppendAsync(Counter, ExpectedRevision.Any, [new Incremented(2)]);
        using var timeout = new CancellationTokenSource(Patience);

        await using var strict = typed.Watch(_counter);
        var error = await Assert.ThrowsAsync<WatcherFaultedException>(() => strict.WaitForPositionAsync(after.LastPosition, timeout.Token));
        var unknown = Assert.IsType<UnknownEventTypeException>(error.InnerException);
        Assert.Equal(mystery.LastPosition, unknown.Position);

        var skipped = new List<long>();
        await using var lenient = typed.Watch(_counter, new WatchOptions { OnError = (_, record) => { skipped.Add(record.Position); return true; } });
        await lenient.WaitForPositionAsync(after.LastPosition, timeout.Token);
        Assert.Equal(3, lenient.State.Total);
        Assert.Equal([mystery.LastPosition], skipped);
    }

    /// <summary>Loading a stream with an unknown event type names the stream revision and position.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Loading_a_stream_with_an_unknown_event_type_names_the_stream_revision_and_position()
    {
        await using var store = await NewStoreAsync();
        var typed = Typed(store);
        await typed.DecideAsync(Counter, _counter, new Increment(1));
        var mystery = await typed.Store.AppendAsync(Counter, ExpectedRevision.Any, NewEvent("mystery"));

        var error = await Assert.ThrowsAsync<UnknownEventTypeException>(() => typed.LoadAsync(Counter, _counter));

        Assert.Equal("mystery", error.TypeName);
        Assert.Equal(Counter, error.Stream);
        Assert.Equal(1, error.Revision);
        Assert.Equal(mystery.LastPosition, error.Position);
        Assert.Contains($"in stream 'counter.1' at revision 1 (position {mystery.LastPosition})", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Old payloads are upcast on read and never rewritten.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Old_payloads_are_upcast_on_read_and_never_rewritten()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(Counter, ExpectedRevision.NoStream, NewEvent("counter-incremented", """{"amount":4}"""));
        var v2 = new TypedEventStore(store, new TypeRegistry()
            .Register<Incremented>("counter-incremented", schemaVersion: 2)
            .AddJsonUpcaster("counter-incremented", 1, json => new System.Text.Json.Nodes.JsonObject { ["by"] = json["amount"]!.GetValue<int>() }));

        var decision = await v2.DecideAsync(Counter, _counter, new Increment(1));

        Assert.Equal(new CounterState(5, 2), decision.State);
        var stored = await ReadStreamAsync(store, Counter);
        Assert.Equal("""{"amount":4}""", stored[0].DataAsText());
        Assert.False(stored[0].Metadata.ContainsKey(MetadataKeys.SchemaVersion));
        Assert.Equal("2", stored[1].Metadata[MetadataKeys.SchemaVersion]);
    }

    private static TypedEventStore Typed(IEventStore store) => new(store, DeciderTypes.Registry());
}
