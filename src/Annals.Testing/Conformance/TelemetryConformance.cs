using System.Diagnostics;
using Annals.Deciders;
using Annals.Projections;
using Annals.Serialization;
using Annals.Storage;
using Annals.Testing.Conformance.Entities;
using Annals.Testing.Conformance.Projections;
using Annals.Testing.Conformance.Telemetry;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Traces on a backend: a commit's span and the trace context stored with its events, decisions, entity commands, and
/// projections that continue the trace of the events they handle. Each test records only the traces it starts, so the
/// suite runs beside any other.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class TelemetryConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected TelemetryConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>A commit is a span under the caller's, and its events carry that span's trace context.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_commit_is_a_child_span_and_its_events_carry_its_trace_context()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var stream = S("order.traced");
        var user = new Dictionary<string, string> { ["user"] = "Ada \"Lovelace\" \u00e9\\" };
        using (var root = spans.StartTrace())
        {
            await store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent(metadata: user), NewEvent()]);
        }

        var commit = Assert.Single(spans.Named("annals.commit"));
        Assert.Equal(spans.Named("test").Single().SpanId, commit.ParentSpanId);
        Assert.Equal(2, commit.GetTagItem("annals.commit.events"));
        Assert.False(string.IsNullOrEmpty(commit.GetTagItem("db.system.name") as string));
        Assert.Equal(ActivityStatusCode.Unset, commit.Status);
        var stored = await store.ReadStreamAsync(stream).ToListAsync();
        Assert.All(stored, e => Assert.Equal(commit.Id, e.Metadata[MetadataKeys.TraceParent]));

        // The trace context is added to what the event had, which is kept as it was.
        Assert.Equal(new Dictionary<string, string>(user) { [MetadataKeys.TraceParent] = commit.Id! }, stored[0].Metadata);
        Assert.Single(stored[1].Metadata);
    }

    /// <summary>With nobody tracing the commit, its events' metadata stays as given.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_untraced_commit_adds_no_metadata()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var stream = S("order.untraced");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent(metadata: new Dictionary<string, string> { ["user"] = "ada" }));

        var stored = await store.ReadStreamAsync(stream).SingleAsync();
        Assert.Equal(new Dictionary<string, string> { ["user"] = "ada" }, stored.Metadata);
    }

    /// <summary>An event that brings a trace context of its own (relayed from elsewhere) keeps it.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_event_with_its_own_trace_context_keeps_it()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var stream = S("order.relayed");
        const string Upstream = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        using (spans.StartTrace())
        {
            await store.AppendAsync(stream, ExpectedRevision.NoStream, [NewEvent(metadata: new Dictionary<string, string> { [MetadataKeys.TraceParent] = Upstream }), NewEvent()]);
        }

        var stored = await store.ReadStreamAsync(stream).ToListAsync();
        Assert.Equal(Upstream, stored[0].Metadata[MetadataKeys.TraceParent]);
        Assert.Equal(Assert.Single(spans.Named("annals.commit")).Id, stored[1].Metadata[MetadataKeys.TraceParent]);
    }

    /// <summary>A refused commit's span is an error naming the refusal, and nothing of it is stored.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_refused_commit_is_an_error_span()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var stream = S("order.refused");
        await store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent());
        using (spans.StartTrace())
        {
            await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => store.AppendAsync(stream, ExpectedRevision.NoStream, NewEvent()).AsTask());
        }

        var commit = Assert.Single(spans.Named("annals.commit"));
        Assert.Equal(ActivityStatusCode.Error, commit.Status);
        Assert.Equal(typeof(WrongExpectedRevisionException).FullName, commit.GetTagItem("error.type"));
    }

    /// <summary>A decision is a span with its attempts; each of its commits is a child of it, the lost one an error.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_decision_span_counts_its_attempts_and_holds_its_commits()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var typed = new TypedEventStore(store, EntityTypes.Codec());
        var stream = S("wallet.raced");
        var raced = 0;

        // The first decision is overtaken by a writer that appends before it commits: the second attempt wins.
        var decider = Decider.Create<int, int, object>(
            0,
            (amount, _) =>
            {
                if (Interlocked.Increment(ref raced) == 1)
                {
                    // Another writer, outside this trace.
                    var current = Activity.Current;
                    Activity.Current = null;
                    store.AppendAsync(stream, ExpectedRevision.Any, EntityTypes.Codec().Encode(new Added(1))).AsTask().GetAwaiter().GetResult();
                    Activity.Current = current;
                }

                return [new Added(amount)];
            },
            (balance, e) => e is Added added ? balance + added.Amount : balance);
        using (spans.StartTrace())
        {
            var decision = await typed.DecideAsync(stream, decider, 5);
            Assert.Equal(2, decision.Attempts);
        }

        var decide = Assert.Single(spans.Named("annals.decide"));
        Assert.Equal(2, decide.GetTagItem("annals.decide.attempts"));
        Assert.Equal("wallet.raced", decide.GetTagItem("annals.stream"));
        var commits = spans.Named("annals.commit").Where(c => c.ParentSpanId == decide.SpanId).ToList();
        Assert.Equal(2, commits.Count);
        Assert.Single(commits, c => c.Status == ActivityStatusCode.Error);
    }

    /// <summary>A decision with no message context of its own joins the correlation the trace carries in its baggage.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_decision_takes_its_correlation_from_the_trace()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var typed = new TypedEventStore(store, EntityTypes.Codec());
        var stream = S("wallet.correlated");
        var decider = Decider.Create<int, int, object>(0, (amount, _) => [new Added(amount)], (balance, _) => balance);
        using (var root = spans.StartTrace())
        {
            root.SetBaggage(MetadataKeys.CorrelationId, "checkout-42");
            await typed.DecideAsync(stream, decider, 5);
        }

        var stored = await store.ReadStreamAsync(stream).SingleAsync();
        Assert.Equal("checkout-42", stored.Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal("checkout-42", Assert.Single(spans.Named("annals.decide")).GetTagItem("messaging.message.conversation_id"));
    }

    /// <summary>An entity command runs as command → handle → commit in the sender's trace, its mailbox wait on the command span.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task An_entity_command_runs_in_the_senders_trace()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        await using var engine = EntityTypes.Engine(store);
        await engine.StartAsync();
        var wallet = S("wallet.spanned");
        ActivityTraceId first, second;
        using (var root = spans.StartTrace())
        {
            first = root.TraceId;
            await engine.SendCommandAsync<Wallet>(wallet, new Add(5));
        }

        // The entity's loop outlives the first command: the second is still handled in its own sender's trace.
        using (var root = spans.StartTrace())
        {
            second = root.TraceId;
            await engine.SendCommandAsync<Wallet>(wallet, new Add(6));
        }

        foreach (var trace in new[] { first, second })
        {
            var command = spans.Single("annals.entity.command", trace);
            var handle = spans.Single("annals.entity.handle", trace);
            var commit = spans.Single("annals.commit", trace);
            Assert.Equal(spans.Single("test", trace).SpanId, command.ParentSpanId);
            Assert.Equal(command.SpanId, handle.ParentSpanId);
            Assert.Equal(handle.SpanId, commit.ParentSpanId);
            Assert.NotNull(command.GetTagItem("annals.entity.mailbox_wait_ms"));
            Assert.Equal("handled", handle.GetTagItem("annals.entity.outcome"));
        }

        // The first command brought the entity into memory: its recovery is in that command's trace.
        var recovery = spans.Single("annals.entity.recover", first);
        Assert.Equal(spans.Single("annals.entity.command", first).SpanId, recovery.ParentSpanId);
        Assert.DoesNotContain(spans.Spans, s => s.OperationName == "annals.entity.recover" && s.TraceId == second);
    }

    /// <summary>
    /// A projection's batch continues the trace its first event was appended in, as a child of that commit, and links the
    /// traces of the others; its correlation is the first event's.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_projection_batch_continues_the_trace_of_its_events()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder();
        var correlated = new Dictionary<string, string> { [MetadataKeys.CorrelationId] = "order-7" };
        ActivityTraceId first, second;
        using (var root = spans.StartTrace())
        {
            first = root.TraceId;
            await store.AppendAsync(S("order.a7"), ExpectedRevision.NoStream, NewEvent("Placed", metadata: correlated));
        }

        AppendResult last;
        using (var root = spans.StartTrace())
        {
            second = root.TraceId;
            last = await store.AppendAsync(S("order.b7"), ExpectedRevision.NoStream, NewEvent("Placed"));
        }

        var name = $"traced-{Guid.NewGuid():N}";
        await using (var host = new ProjectionHost(store))
        {
            host.Add(name, new TallyProjection(name) { Store = store }, new ProjectionOptions { Filter = EventFilter.Parse("order.*.Placed") });
            await host.StartAsync();
            await host.WaitForPositionAsync(name, last.LastPosition).WaitAsync(Patience);
            await host.StopAsync();
        }

        var batch = spans.Named("annals.projection.batch").Single(s => s.TraceId == first && (string?)s.GetTagItem("annals.projection") == name);
        var append = spans.Named("annals.commit").Single(c => c.ParentSpanId == spans.Single("test", first).SpanId);
        Assert.Equal(append.SpanId, batch.ParentSpanId);

        // The batch's checkpoint commit is its child: what a handler writes is in the same trace.
        Assert.Contains(spans.Named("annals.commit"), c => c.ParentSpanId == batch.SpanId);
        Assert.Equal(ActivityKind.Consumer, batch.Kind);
        Assert.Contains(batch.Links, l => l.Context.TraceId == second);
        Assert.Equal(2, batch.GetTagItem("messaging.batch.message_count"));
        Assert.Equal("order-7", batch.GetTagItem("messaging.message.conversation_id"));
    }

    /// <summary>A projection's catch-up is a span from its checkpoint to the position where it went live.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_projection_catch_up_is_a_span_up_to_where_it_went_live()
    {
        await using var store = await NewStoreAsync();
        using var spans = new SpanRecorder(rootSpan: "annals.projection.catchup");
        var appended = await store.AppendAsync(S("order.c1"), ExpectedRevision.NoStream, NewEvents(3, "Placed"));
        var name = $"caught-up-{Guid.NewGuid():N}";
        var caughtUp = spans.WhenStopped(s => s.OperationName == "annals.projection.catchup" && (string?)s.GetTagItem("annals.projection") == name);
        await using (var host = new ProjectionHost(store))
        {
            host.Add(name, new TallyProjection(name) { Store = store });
            await host.StartAsync();
            await host.WaitForPositionAsync(name, appended.LastPosition).WaitAsync(Patience);

            // The span ends just after the batch that reached the head.
            await caughtUp.WaitAsync(Patience);
            await host.StopAsync();
        }

        var catchUp = spans.Named("annals.projection.catchup").Single(s => (string?)s.GetTagItem("annals.projection") == name);
        Assert.Equal(appended.LastPosition, catchUp.GetTagItem("annals.position.to"));
        Assert.Equal(true, catchUp.GetTagItem("annals.projection.live"));
    }
}
