using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves guarantees 3 (ordered, no skips) and 4 (optimistic concurrency) under real concurrency:
/// many writers over overlapping streams while subscribers and a paging reader watch, read-modify-write
/// loops that must lose no update, and races where exactly one of many identical commits must win.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class ConcurrencyConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    private static readonly StreamName[] Pool =
    [
        StreamName.Parse("conc-a.1"),
        StreamName.Parse("conc-a.2"),
        StreamName.Parse("conc-a.3"),
        StreamName.Parse("conc-b.1"),
        StreamName.Parse("conc-b.2"),
        StreamName.Parse("conc-c.1"),
    ];

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected ConcurrencyConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many tasks commit at the same time in the many-writers test.</summary>
    protected virtual int Writers => 8;

    /// <summary>How many commits each of those writers makes.</summary>
    protected virtual int CommitsPerWriter => 200;

    /// <summary>How many tasks increment the same counter in the lost-update test.</summary>
    protected virtual int Incrementers => 8;

    /// <summary>How many successful increments each of those tasks makes.</summary>
    protected virtual int IncrementsPerIncrementer => 25;

    /// <summary>How many tasks race with the same expectation in each round of the race tests.</summary>
    protected virtual int Racers => 8;

    /// <summary>How many rounds each race test runs.</summary>
    protected virtual int RaceRounds => 10;

    /// <summary>
    /// Concurrent writers over overlapping streams: every acknowledged event is stored exactly once where its
    /// result says, in batch order, positions follow real-time commit order, stream revisions are contiguous,
    /// and two subscribers and a paging reader see exactly the log, with no gap, repeat or reordering.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Concurrent_writers_commit_one_gapless_order_that_readers_and_subscribers_share()
    {
        await using var store = await NewStoreAsync();
        var subset = EventFilter.Subjects("conc-a", "*.*.Marked");
        static bool InSubset(RecordedEvent e) => e.Stream.Category == "conc-a" || e.Type == "Marked";

        await using var everything = SubscriptionRecorder.Start(store, Patience);
        await using var some = SubscriptionRecorder.Start(store, Patience, 0, subset);

        // Both subscribers are running and past their (empty) catch-up before the writers start.
        var marker = await store.AppendAsync(S("conc-start.1"), ExpectedRevision.NoStream, NewEvent("Marked"));
        await everything.WaitForPositionAsync(marker.LastPosition);
        await some.WaitForPositionAsync(marker.LastPosition);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() => WriteAsync(store, w, start.Task))).ToArray();
        var writing = Task.WhenAll(writers);
        var poller = Task.Run(() => PollAsync(store, writing));
        start.SetResult();

        var commits = (await writing.WaitAsync(Patience)).SelectMany(c => c).ToList();
        var polled = await poller.WaitAsync(Patience);

        var head = await store.GetHeadPositionAsync();
        var log = await ReadAllAsync(store);
        Assert.Equal(head, log[^1].Position);
        LogAssert.StrictlyIncreasingPositions(log, "ReadAllAsync");

        var expectedSubset = await ReadAllAsync(store, subset);
        LogAssert.SameSequence([.. log.Where(InSubset)], expectedSubset, "ReadAllAsync through the filter");
        LogAssert.SameSequence(log, polled, "A reader paging through the log while the writers ran");
        LogAssert.SameSequence(log, await everything.WaitForPositionAsync(head), "The unfiltered subscription");
        LogAssert.SameSequence(expectedSubset, await some.WaitForPositionAsync(expectedSubset[^1].Position), "The filtered subscription");

        CheckAcknowledged(log, commits);
        CheckRealTimeOrder(commits);
        foreach (var stream in Pool)
        {
            var events = await ReadStreamAsync(store, stream);
            Assert.NotEmpty(events);
            Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Revision));
            LogAssert.SameSequence([.. log.Where(e => e.Stream == stream)], events, $"ReadStreamAsync({stream})");
        }
    }

    /// <summary>
    /// Tasks that read a counter stream's last value and append value + 1 with the exact revision they read,
    /// retrying on conflict, lose no update: the stream ends with exactly one event per increment, valued 1..total.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Concurrent_read_modify_write_loses_no_update()
    {
        await using var store = await NewStoreAsync();
        var stream = S("counter.1");
        var total = Incrementers * IncrementsPerIncrementer;
        using var timeout = new CancellationTokenSource(Patience);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task<List<AppendResult>> IncrementAsync()
        {
            await start.Task.ConfigureAwait(false);
            var won = new List<AppendResult>();
            while (won.Count < IncrementsPerIncrementer)
            {
                var last = await store.ReadStreamBackwardAsync(stream, maxCount: 1, cancellationToken: timeout.Token).ToListAsync(timeout.Token).ConfigureAwait(false);
                var expected = last.Count == 0 ? ExpectedRevision.NoStream : ExpectedRevision.Exact(last[0].Revision);
                var value = last.Count == 0 ? 0 : ValueOf(last[0]);
                try
                {
                    won.Add(await store.AppendAsync(stream, expected, NewEvent("Incremented", $$"""{"value":{{value + 1}}}"""), timeout.Token).ConfigureAwait(false));
                }
                catch (WrongExpectedRevisionException e)
                {
                    Assert.Equal(stream, e.Stream);
                    Assert.Equal(expected, e.Expected);
                    Assert.True(e.Actual > (expected.Revision ?? -1), $"A conflict on {expected} reported actual revision {e.Actual?.ToString() ?? "none"}; the stream can only have grown.");
                }
            }

            return won;
        }

        var incrementers = Enumerable.Range(0, Incrementers).Select(_ => Task.Run(IncrementAsync)).ToArray();
        start.SetResult();
        var results = (await Task.WhenAll(incrementers).WaitAsync(Patience)).SelectMany(r => r).ToList();

        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), results.Select(r => r.FirstRevision).Order());
        var events = await ReadStreamAsync(store, stream);
        Assert.Equal(total, events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            Assert.Equal(i, events[i].Revision);
            Assert.Equal(i + 1, ValueOf(events[i]));
        }

        Assert.Equal(total - 1, (await store.GetStreamInfoAsync(stream))?.LastRevision);
    }

    /// <summary>
    /// Of many appends to one stream with the same expectation (no stream, then each exact revision), released
    /// together, exactly one wins each round and every other fails naming the revision the winner made.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Racing_appends_with_the_same_expected_revision_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        var stream = S("race.1");
        var winners = new List<Guid>();
        for (var round = 0; round < RaceRounds; round++)
        {
            using var timeout = new CancellationTokenSource(Patience);
            var expected = round == 0 ? ExpectedRevision.NoStream : ExpectedRevision.Exact(round - 1);
            var events = Enumerable.Range(0, Racers).Select(_ => NewEvent("Raced")).ToArray();
            var results = new AppendResult?[Racers];
            var attempts = await RaceAsync<WrongExpectedRevisionException>(
                Racers,
                async (racer, ct) => results[racer] = await store.AppendAsync(stream, expected, events[racer], ct).ConfigureAwait(false),
                timeout.Token);

            var winner = SingleWinner(attempts, $"round {round}");
            var result = results[winner.Racer]!;
            Assert.Equal(new AppendResult(stream, round, round, result.FirstPosition, result.FirstPosition), result);
            winners.Add(events[winner.Racer].EventId);
            foreach (var loser in attempts.Where(a => !a.Won))
            {
                var e = loser.Error!;
                Assert.Equal(stream, e.Stream);
                Assert.Equal(expected, e.Expected);
                Assert.Equal(round, e.Actual);
            }
        }

        var stored = await ReadStreamAsync(store, stream);
        Assert.Equal(winners, stored.Select(e => e.EventId));
        Assert.Equal(winners, (await ReadAllAsync(store)).Select(e => e.EventId));
    }

    /// <summary>
    /// Of many durable-state saves of one key with the same version, released together, exactly one wins each
    /// round; the others fail with the version they assumed and the one the winner stored, and the winner's data is kept.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Racing_state_saves_with_the_same_version_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        var key = S("tally.1");
        for (var version = 1L; version <= RaceRounds; version++)
        {
            using var timeout = new CancellationTokenSource(Patience);
            var v = version;
            var attempts = await RaceAsync<WrongExpectedVersionException>(
                Racers,
                (racer, ct) => store.CommitAsync(new CommitBatch().SaveState(key, v, "Tally", Text($"racer {racer}")), ct).AsTask(),
                timeout.Token);

            var winner = SingleWinner(attempts, $"version {v}");
            foreach (var loser in attempts.Where(a => !a.Won))
            {
                var e = loser.Error!;
                Assert.Equal(key, e.Key);
                Assert.Equal(v - 1, e.Expected);
                Assert.Equal(v, e.Actual);
            }

            var state = await store.ReadStateAsync(key);
            Assert.NotNull(state);
            Assert.Equal(v, state.Version);
            Assert.Equal($"racer {winner.Racer}", Encoding.UTF8.GetString(state.Data.Span));
        }
    }

    /// <summary>
    /// Of many checkpoint saves with the same expected position, released together, exactly one wins each round;
    /// the others fail naming the position they expected and the one the winner stored.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Racing_checkpoint_saves_with_the_same_expected_position_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        const string consumer = "race/checkpoint";
        long? stored = null;
        for (var round = 0; round < RaceRounds; round++)
        {
            using var timeout = new CancellationTokenSource(Patience);
            var expected = stored;
            var basePosition = (round + 1) * 1000L;
            var attempts = await RaceAsync<CheckpointConflictException>(
                Racers,
                (racer, ct) => store.CommitAsync(new CommitBatch().SaveCheckpoint(consumer, basePosition + racer, expected), ct).AsTask(),
                timeout.Token);

            var winner = basePosition + SingleWinner(attempts, $"round {round}").Racer;
            foreach (var loser in attempts.Where(a => !a.Won))
            {
                var e = loser.Error!;
                Assert.Equal(consumer, e.Consumer);
                Assert.Equal(expected, e.Expected);
                Assert.Equal(winner, e.Actual);
            }

            stored = winner;
            Assert.Equal(stored, await store.ReadCheckpointAsync(consumer));
        }
    }

    /// <summary>
    /// Deciders that all read the events matching a filter up to the same position, then append to different
    /// streams with the condition that nothing matching came after it: exactly one wins each round, and the others
    /// fail naming the filter, the position and the winner's event, storing nothing.
    /// </summary>
    /// <returns>A task that completes when the test has run.</returns>
    [Fact]
    public async Task Racing_deciders_with_the_same_append_condition_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        var seats = EventFilter.Subjects("*.*.SeatTaken");

        // Unrelated traffic before and between the rounds: the condition must not count it.
        await store.AppendAsync(S("course.1"), ExpectedRevision.NoStream, NewEvent("CourseOpened"));
        var taken = new List<Guid>();
        for (var round = 0; round < RaceRounds; round++)
        {
            using var timeout = new CancellationTokenSource(Patience);
            var streams = Enumerable.Range(0, Racers).Select(racer => S($"student.{round}-{racer}")).ToArray();
            var events = Enumerable.Range(0, Racers).Select(_ => NewEvent("SeatTaken")).ToArray();
            var readUpTo = new long[Racers];
            var results = new AppendResult?[Racers];
            var attempts = await RaceAsync<AppendConditionFailedException>(
                Racers,
                async (racer, ct) =>
                {
                    // Each decider reads what the filter matches and remembers how far it read.
                    var seen = await store.ReadAllAsync(0, seats, cancellationToken: ct).ToListAsync(ct).ConfigureAwait(false);
                    var position = seen.Count == 0 ? 0 : seen[^1].Position;
                    readUpTo[racer] = position;
                    return async () =>
                    {
                        var batch = new CommitBatch()
                            .RequireNoneAfter(seats, position)
                            .Append(streams[racer], ExpectedRevision.NoStream, events[racer]);
                        results[racer] = (await store.CommitAsync(batch, ct).ConfigureAwait(false)).Appends[0];
                    };
                },
                timeout.Token);

            Assert.All(readUpTo, p => Assert.Equal(readUpTo[0], p));
            var winner = SingleWinner(attempts, $"round {round}");
            taken.Add(events[winner.Racer].EventId);
            foreach (var loser in attempts.Where(a => !a.Won))
            {
                var e = loser.Error!;
                Assert.Equal(seats.ToString(), e.Filter.ToString());
                Assert.Equal(readUpTo[0], e.AfterPosition);
                Assert.Equal(results[winner.Racer]!.LastPosition, e.ConflictingPosition);
                Assert.Null(await store.GetStreamInfoAsync(streams[loser.Racer]));
            }

            await store.AppendAsync(S("course.1"), ExpectedRevision.Any, NewEvent("LectureHeld"));
        }

        Assert.Equal(taken, (await ReadAllAsync(store, seats)).Select(e => e.EventId));
    }

    private static long ValueOf(RecordedEvent e)
    {
        using var json = JsonDocument.Parse(e.Data);
        return json.RootElement.GetProperty("value").GetInt64();
    }

    private async Task<List<Commit>> WriteAsync(IEventStore store, int writer, Task start)
    {
        await start.ConfigureAwait(false);
        var random = new Random(writer);
        var commits = new List<Commit>(CommitsPerWriter);
        for (var c = 0; c < CommitsPerWriter; c++)
        {
            var streams = Pool.OrderBy(_ => random.Next()).Take(random.Next(4) == 0 && store.Capabilities.AtomicAcrossStreams ? 2 : 1).ToArray();
            var batch = new CommitBatch();
            var appends = new List<(StreamName Stream, EventData[] Events)>();
            foreach (var stream in streams)
            {
                var events = Enumerable.Range(0, random.Next(1, 4))
                    .Select(i => NewEvent(random.Next(4) == 0 ? "Marked" : "Counted", $$"""{"writer":{{writer}},"commit":{{c}},"event":{{i}}}"""))
                    .ToArray();
                batch.Append(stream, ExpectedRevision.Any, events);
                appends.Add((stream, events));
            }

            var started = Stopwatch.GetTimestamp();
            var result = await store.CommitAsync(batch).ConfigureAwait(false);
            commits.Add(new Commit(appends, result, started, Stopwatch.GetTimestamp()));
        }

        return commits;
    }

    private static async Task<List<RecordedEvent>> PollAsync(IEventStore store, Task writing)
    {
        var seen = new List<RecordedEvent>();
        var last = 0L;
        while (true)
        {
            // Checked before the read, so the last pass starts after every commit was acknowledged.
            var finished = writing.IsCompleted;
            var page = await store.ReadAllAsync(last, null, 64).ToListAsync().ConfigureAwait(false);
            seen.AddRange(page);
            if (page.Count > 0)
            {
                last = page[^1].Position;
            }
            else if (finished)
            {
                return seen;
            }
            else
            {
                // Only to avoid spinning; correctness does not depend on this delay.
                await Task.Delay(1).ConfigureAwait(false);
            }
        }
    }

    private static void CheckAcknowledged(List<RecordedEvent> log, List<Commit> commits)
    {
        var byId = new Dictionary<Guid, RecordedEvent>();
        foreach (var e in log)
        {
            Assert.True(byId.TryAdd(e.EventId, e), $"Event {e.EventId} is in the log twice.");
        }

        var acknowledged = 0;
        foreach (var commit in commits)
        {
            Assert.Equal(commit.Appends.Count, commit.Result.Appends.Count);
            var previous = 0L;
            for (var a = 0; a < commit.Appends.Count; a++)
            {
                var (stream, events) = commit.Appends[a];
                var result = commit.Result.Appends[a];
                Assert.Equal(stream, result.Stream);
                Assert.Equal(events.Length - 1, result.LastRevision - result.FirstRevision);
                for (var i = 0; i < events.Length; i++)
                {
                    Assert.True(byId.TryGetValue(events[i].EventId, out var stored), $"Acknowledged event {events[i].EventId} of {stream} is not in the log.");
                    Assert.Equal(stream, stored.Stream);
                    Assert.Equal(result.FirstRevision + i, stored.Revision);
                    Assert.True(stored.Position > previous, $"A batch's events are out of batch order in the log: {LogAssert.Show(stored)} comes after position {previous}.");
                    previous = stored.Position;
                    acknowledged++;
                }

                Assert.Equal(result.FirstPosition, byId[events[0].EventId].Position);
                Assert.Equal(result.LastPosition, byId[events[^1].EventId].Position);
            }
        }

        // Everything in the log was acknowledged (plus the marker written before the writers).
        Assert.Equal(acknowledged + 1, log.Count);
    }

    private static void CheckRealTimeOrder(List<Commit> commits)
    {
        // A commit acknowledged before another started must have all its positions below the other's.
        var byAck = commits.OrderBy(c => c.Acknowledged).ToArray();
        var acks = byAck.Select(c => c.Acknowledged).ToArray();
        var highest = new long[byAck.Length];
        for (var i = 0; i < byAck.Length; i++)
        {
            highest[i] = Math.Max(i == 0 ? 0 : highest[i - 1], byAck[i].Result.Appends.Max(a => a.LastPosition));
        }

        foreach (var commit in commits)
        {
            var before = Array.BinarySearch(acks, commit.Started);
            var count = before >= 0 ? before : ~before;
            while (count > 0 && acks[count - 1] >= commit.Started)
            {
                count--;
            }

            if (count > 0)
            {
                var lowest = commit.Result.Appends.Min(a => a.FirstPosition);
                Assert.True(highest[count - 1] < lowest, $"A commit that started after another was acknowledged got position {lowest}, below that commit's {highest[count - 1]}.");
            }
        }
    }

    private sealed record Commit(List<(StreamName Stream, EventData[] Events)> Appends, CommitResult Result, long Started, long Acknowledged);
}
