using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves what <see cref="IEventReader.SubscribeAsync(long, EventFilter?, CancellationToken)"/> promises: stored events after the position, then live
/// ones, in position order, with no gap, repeat or reordering, through the filter; ended by its token
/// (<see cref="OperationCanceledException"/>) or by disposing the store (the enumeration completes).
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class SubscriptionConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected SubscriptionConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many events are committed while a subscriber is stalled in the slow-subscriber test.</summary>
    protected virtual int SlowSubscriberEvents => 2000;

    /// <summary>How many commits a writer makes while subscribers start and catch up in the hand-over test.</summary>
    protected virtual int HandOverCommits => 200;

    /// <summary>A subscription from the start delivers the stored events, then events committed later, in position order.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_delivers_stored_events_then_live_events_in_position_order()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(S("order.2"), ExpectedRevision.NoStream, NewEvents(2));
        await using var subscriber = SubscriptionRecorder.Start(store, Patience);

        var stored = await ReadAllAsync(store);
        LogAssert.SameSequence(stored, await subscriber.WaitForPositionAsync(stored[^1].Position), "The catch-up");

        await store.AppendAsync(S("order.1"), ExpectedRevision.Exact(2), NewEvents(2));
        var last = await store.CommitWholeOrInPartsAsync(new CommitBatch().Append(S("order.3"), ExpectedRevision.NoStream, NewEvents(2)).Append(S("order.2"), ExpectedRevision.Exact(1), NewEvent()));
        var all = await ReadAllAsync(store);
        Assert.Equal(10, all.Count);
        LogAssert.SameSequence(all, await subscriber.WaitForPositionAsync(last.LastPosition!.Value), "The subscription");
    }

    /// <summary>A subscription after a position delivers only the events after it, stored and live.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_after_a_position_delivers_only_later_events()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(4));
        await store.AppendAsync(S("order.2"), ExpectedRevision.NoStream, NewEvents(2));
        var after = (await ReadStreamAsync(store, S("order.1")))[2].Position;
        await using var subscriber = SubscriptionRecorder.Start(store, Patience, after);

        var live = await store.AppendAsync(S("order.1"), ExpectedRevision.Exact(3), NewEvents(2));
        var expected = await store.ReadAllAsync(after).ToListAsync();
        Assert.Equal(5, expected.Count);
        LogAssert.SameSequence(expected, await subscriber.WaitForPositionAsync(live.LastPosition), $"A subscription after position {after}");

        await using var atHead = SubscriptionRecorder.Start(store, Patience, live.LastPosition);
        var next = await store.AppendAsync(S("order.3"), ExpectedRevision.NoStream, NewEvent());
        var delivered = await atHead.WaitForPositionAsync(next.LastPosition);
        Assert.Equal(next.LastPosition, Assert.Single(delivered).Position);
    }

    /// <summary>A subscriber waiting on an empty store is woken by each later commit, within the patience.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_waiting_on_an_empty_store_is_woken_by_each_later_commit()
    {
        await using var store = await NewStoreAsync();
        using var cancel = new CancellationTokenSource();
        var subscription = store.SubscribeAsync(0, null, cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var next = subscription.MoveNextAsync();
                Assert.False(next.IsCompleted, "The subscription returned while there was no event to deliver.");
                var e = NewEvent();
                var result = await store.AppendAsync(S($"order.{i}"), ExpectedRevision.NoStream, e);
                Assert.True(await next.AsTask().WaitAsync(Patience), "The subscription ended instead of delivering the committed event.");
                Assert.Equal(e.EventId, subscription.Current.EventId);
                Assert.Equal(result.FirstPosition, subscription.Current.Position);
            }
        }
        finally
        {
            await cancel.CancelAsync();
            await subscription.DisposeAsync();
        }
    }

    /// <summary>A subscription says once that it is live, only after the stored events, and then delivers each later commit.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_says_once_when_it_is_live_and_delivers_every_later_commit()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(2));
        using var cancel = new CancellationTokenSource(Patience);
        var calls = 0;
        var live = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLive()
        {
            Interlocked.Increment(ref calls);
            live.TrySetResult();
        }

        var subscription = store.SubscribeAsync(0, null, OnLive, cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            Assert.True(await subscription.MoveNextAsync());
            Assert.True(await subscription.MoveNextAsync());
            Assert.False(live.Task.IsCompleted, "The subscription said it was live before it had read to the end of the log.");
            for (var i = 2; i < 5; i++)
            {
                var next = subscription.MoveNextAsync();
                await live.Task.WaitAsync(Patience);
                Assert.False(next.IsCompleted, "The subscription returned while there was no event to deliver.");
                var result = await store.AppendAsync(S($"order.{i}"), ExpectedRevision.NoStream, NewEvent());
                Assert.True(await next.AsTask().WaitAsync(Patience), "The subscription ended instead of delivering the committed event.");
                Assert.Equal(result.FirstPosition, subscription.Current.Position);
            }

            Assert.Equal(1, Volatile.Read(ref calls));
        }
        finally
        {
            await cancel.CancelAsync();
            await subscription.DisposeAsync();
        }
    }

    /// <summary>A filtered subscription delivers only matching events, from the catch-up and live.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_applies_its_filter_to_stored_and_live_events()
    {
        await using var store = await NewStoreAsync();
        var filter = EventFilter.Subjects("order", "*.*.Flagged");
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(S("order.1"), ExpectedRevision.NoStream, NewEvents(2))
            .Append(S("customer.1"), ExpectedRevision.NoStream, NewEvent("Registered"), NewEvent("Flagged")));
        await store.AppendAsync(S("orders.1"), ExpectedRevision.NoStream, NewEvent());
        await using var subscriber = SubscriptionRecorder.Start(store, Patience, 0, filter);
        var caughtUp = await subscriber.WaitForCountAsync(3);

        await store.AppendAsync(S("customer.2"), ExpectedRevision.NoStream, NewEvent("Registered"));
        await store.AppendAsync(S("order.2"), ExpectedRevision.NoStream, NewEvent());
        await store.AppendAsync(S("customer.2"), ExpectedRevision.Exact(0), [NewEvent("Flagged"), NewEvent("Registered")]);
        await store.AppendAsync(S("Order.1"), ExpectedRevision.NoStream, NewEvent());

        // A final matching event: once it is delivered, every non-matching event before it was skipped, not pending.
        var sentinel = NewEvent();
        await store.AppendAsync(S("order.1"), ExpectedRevision.Exact(1), sentinel);

        var delivered = await subscriber.WaitForEventAsync(sentinel.EventId);
        var expected = (await ReadAllAsync(store)).Where(e => e.Stream.Category == "order" || e.Type == "Flagged").ToList();
        Assert.Equal(6, expected.Count);
        LogAssert.SameSequence(expected, delivered, "The filtered subscription");
        LogAssert.SameSequence(expected, await ReadAllAsync(store, filter), "ReadAllAsync through the same filter");
        Assert.Equal(3, caughtUp.Count);
    }

    /// <summary>Cancelling the token of a subscription that waits for events ends it promptly with an <see cref="OperationCanceledException"/>.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Cancelling_a_waiting_subscription_ends_it_with_OperationCanceledException()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(2));
        using var cancel = new CancellationTokenSource();
        var subscription = store.SubscribeAsync(0, null, cancel.Token).GetAsyncEnumerator();
        Assert.True(await subscription.MoveNextAsync().AsTask().WaitAsync(Patience));
        Assert.True(await subscription.MoveNextAsync().AsTask().WaitAsync(Patience));

        var waiting = subscription.MoveNextAsync().AsTask();
        Assert.False(waiting.IsCompleted, "The subscription returned while there was no event to deliver.");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Patience));
        await subscription.DisposeAsync();

        // The store still works for others.
        await store.AppendAsync(S("order.1"), ExpectedRevision.Exact(1), NewEvent());
        Assert.Equal(3, (await ReadAllAsync(store)).Count);
    }

    /// <summary>A subscription whose token is already cancelled ends with an <see cref="OperationCanceledException"/> rather than running on.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_with_a_cancelled_token_ends_with_OperationCanceledException()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(3));
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.SubscribeAsync(0, null, cancel.Token).ToListAsync().AsTask().WaitAsync(Patience));
    }

    /// <summary>Disposing the store completes a subscription that is waiting for events.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Disposing_the_store_completes_a_waiting_subscription()
    {
        var store = await NewStoreAsync();
        var disposed = false;
        IAsyncEnumerator<RecordedEvent>? subscription = null;
        try
        {
            await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvent());
            subscription = store.SubscribeAsync().GetAsyncEnumerator();
            Assert.True(await subscription.MoveNextAsync().AsTask().WaitAsync(Patience));
            var waiting = subscription.MoveNextAsync().AsTask();
            Assert.False(waiting.IsCompleted, "The subscription returned while there was no event to deliver.");

            disposed = true;
            await store.DisposeAsync().AsTask().WaitAsync(Patience);
            Assert.False(await waiting.WaitAsync(Patience), "The subscription delivered an event after the store was disposed.");
        }
        finally
        {
            if (!disposed)
            {
                await store.DisposeAsync();
            }

            if (subscription is not null)
            {
                await subscription.DisposeAsync();
            }
        }
    }

    /// <summary>A subscriber that stalls while many events are committed still receives every one of them, in order.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task A_stalled_subscriber_still_receives_every_event()
    {
        await using var store = await NewStoreAsync();
        var first = await store.AppendAsync(S("order.0"), ExpectedRevision.NoStream, NewEvent());
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = SubscriptionRecorder.Start(store, Patience, onEvent: e => e.Position == first.LastPosition ? release.Task : Task.CompletedTask);

        const int perCommit = 20;
        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < SlowSubscriberEvents / perCommit; i++)
            {
                await store.AppendAsync(S($"order.{(i % 7) + 1}"), ExpectedRevision.Any, NewEvents(perCommit)).ConfigureAwait(false);
            }
        });

        // The subscriber is held on its first event until the writer is done (a store may make writers wait
        // for a full subscriber, so the hold also ends after the patience).
        await Task.WhenAny(writing, Task.Delay(Patience));
        release.SetResult();
        await writing.WaitAsync(Patience);

        var log = await ReadAllAsync(store);
        Assert.Equal(1 + (SlowSubscriberEvents / perCommit * perCommit), log.Count);
        LogAssert.SameSequence(log, await slow.WaitForPositionAsync(log[^1].Position), "The stalled subscriber");
    }

    /// <summary>
    /// Subscriptions starting while a writer commits (during its catch-up, at the hand-over to live) deliver
    /// exactly the log after their position: no gap, repeat or reordering at the hand-over.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscriptions_started_during_writes_hand_over_from_catch_up_to_live_without_gap_or_repeat()
    {
        await using var store = await NewStoreAsync();
        var subscribers = new List<(long After, SubscriptionRecorder Recorder)>();
        try
        {
            var streams = Enumerable.Range(1, 5).Select(i => S($"order.{i}")).ToArray();
            var every = Math.Max(1, HandOverCommits / 10);
            for (var i = 0; i < HandOverCommits; i++)
            {
                var result = await store.AppendAsync(streams[i % streams.Length], ExpectedRevision.Any, NewEvents(1 + (i % 3)));
                if (i % every == 0)
                {
                    // From the start (a long catch-up), and from the latest position (a hand-over right away).
                    subscribers.Add((0, SubscriptionRecorder.Start(store, Patience)));
                    subscribers.Add((result.LastPosition, SubscriptionRecorder.Start(store, Patience, result.LastPosition)));
                }
            }

            var log = await ReadAllAsync(store);
            foreach (var (after, recorder) in subscribers)
            {
                var delivered = await recorder.WaitForPositionAsync(log[^1].Position);
                LogAssert.SameSequence([.. log.Where(e => e.Position > after)], delivered, $"A subscription after position {after}");
            }
        }
        finally
        {
            foreach (var (_, recorder) in subscribers)
            {
                await recorder.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Several subscriptions are independent: each gets its own position and filter, cancelling one does not
    /// end the others, and one that stalls does not hold the others back.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscriptions_are_independent_of_each_other()
    {
        await using var store = await NewStoreAsync();
        var start = await store.AppendAsync(S("order.1"), ExpectedRevision.NoStream, NewEvents(3));
        var customers = EventFilter.ForCategories("customer");
        var stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancelOne = new CancellationTokenSource();

        await using var all = SubscriptionRecorder.Start(store, Patience);
        await using var filtered = SubscriptionRecorder.Start(store, Patience, 0, customers);
        await using var later = SubscriptionRecorder.Start(store, Patience, start.FirstPosition);
        await using var cancelled = SubscriptionRecorder.Start(store, Patience, 0, null, cancelOne.Token);
        await using var stalled = SubscriptionRecorder.Start(store, Patience, onEvent: _ => stall.Task);
        try
        {
            await cancelled.WaitForPositionAsync(start.LastPosition);
            await cancelOne.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Completion.WaitAsync(Patience));

            for (var i = 0; i < 20; i++)
            {
                await store.AppendAsync(S(i % 2 == 0 ? "customer.1" : "order.2"), ExpectedRevision.Any, NewEvents(2));
            }

            var log = await ReadAllAsync(store);
            LogAssert.SameSequence(log, await all.WaitForPositionAsync(log[^1].Position), "The unfiltered subscription");
            var customerEvents = log.Where(e => e.Stream.Category == "customer").ToList();
            LogAssert.SameSequence(customerEvents, await filtered.WaitForPositionAsync(customerEvents[^1].Position), "The filtered subscription");
            LogAssert.SameSequence([.. log.Where(e => e.Position > start.FirstPosition)], await later.WaitForPositionAsync(log[^1].Position), "The later subscription");
            Assert.Equal(3, cancelled.Events.Count);
            Assert.Empty(stalled.Events);
        }
        finally
        {
            stall.TrySetResult();
        }
    }

    /// <summary>
    /// Events removed by a truncate or a delete before a subscription reaches them are not delivered; events
    /// appended afterwards (also to the deleted stream, at later revisions) are.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscription_does_not_deliver_events_removed_before_it_reached_them()
    {
        await using var store = await NewStoreAsync();
        var gone = S("order.1");
        var cut = S("order.2");
        await store.AppendAsync(gone, ExpectedRevision.NoStream, NewEvents(3));
        await store.AppendAsync(cut, ExpectedRevision.NoStream, NewEvents(4));
        await store.AppendAsync(S("order.3"), ExpectedRevision.NoStream, NewEvents(2));
        await store.DeleteStreamAsync(gone);
        await store.TruncateStreamAsync(cut, 2);

        await using var subscriber = SubscriptionRecorder.Start(store, Patience);
        var recreated = await store.AppendAsync(gone, ExpectedRevision.NoStream, NewEvent());
        var delivered = await subscriber.WaitForPositionAsync(recreated.LastPosition);

        Assert.Equal(
            [(cut, 2L), (cut, 3L), (S("order.3"), 0L), (S("order.3"), 1L), (gone, 3L)],
            delivered.Select(e => (e.Stream, e.Revision)));
        LogAssert.SameSequence(await ReadAllAsync(store), delivered, "The subscription");
    }

    /// <summary>A negative position is rejected when <see cref="IEventReader.SubscribeAsync(long, EventFilter?, CancellationToken)"/> is called, not when enumerated.</summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Subscribe_with_a_negative_position_throws_when_called()
    {
        await using var store = await NewStoreAsync();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => store.SubscribeAsync(-1));
        Assert.Equal("afterPosition", error.ParamName);
    }
}
