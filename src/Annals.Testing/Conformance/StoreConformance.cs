using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// The base of every conformance suite: access to the fixture and the helpers the suites share.
/// A backend runs a suite with a one-line subclass:
/// <c>public sealed class Append(MyFixture f) : AppendConformance&lt;MyFixture&gt;(f);</c>
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class StoreConformance<TFixture> : IClassFixture<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected StoreConformance(TFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Fixture = fixture;
    }

    /// <summary>The backend's fixture.</summary>
    protected TFixture Fixture { get; }

    /// <summary>How long a test waits for something that should happen (a live event) before it fails.</summary>
    protected virtual TimeSpan Patience => TimeSpan.FromSeconds(30);

    /// <summary>Makes a fresh, empty store.</summary>
    /// <returns>The store.</returns>
    protected Task<IEventStore> NewStoreAsync() => Fixture.CreateStoreAsync();

    /// <summary>Makes an event with a new id and the given JSON (a small object naming the type when omitted).</summary>
    /// <param name="type">The event's type name.</param>
    /// <param name="json">The data.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>The event.</returns>
    protected static EventData NewEvent(string type = "Happened", string? json = null, IReadOnlyDictionary<string, string>? metadata = null) =>
        new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes(json ?? $$"""{"type":"{{type}}"}"""), metadata);

    /// <summary>Makes several events with new ids.</summary>
    /// <param name="count">How many.</param>
    /// <param name="type">Their type name.</param>
    /// <returns>The events.</returns>
    protected static EventData[] NewEvents(int count, string type = "Happened") =>
        [.. Enumerable.Range(0, count).Select(i => NewEvent(type, $$"""{"n":{{i}}}"""))];

    /// <summary>Parses a stream name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The stream name.</returns>
    protected static StreamName S(string name) => StreamName.Parse(name);

    /// <summary>The UTF-8 bytes of a text, as event, snapshot, state or message data.</summary>
    /// <param name="text">The text.</param>
    /// <returns>Its bytes.</returns>
    protected static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Reads a whole stream forward.</summary>
    /// <param name="store">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <returns>Its events.</returns>
    protected static async Task<List<RecordedEvent>> ReadStreamAsync(IEventStore store, StreamName stream)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.ReadStreamAsync(stream).ToListAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the whole global log, optionally through a filter.</summary>
    /// <param name="store">The store.</param>
    /// <param name="filter">The filter, or <see langword="null"/> for all.</param>
    /// <returns>Its events.</returns>
    protected static async Task<List<RecordedEvent>> ReadAllAsync(IEventStore store, EventFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        return await store.ReadAllAsync(0, filter).ToListAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="count"/> tasks released together, so that they act as nearly at the same time
    /// as the machine allows, and returns what each returned, in task order.
    /// </summary>
    /// <typeparam name="TResult">What each task returns.</typeparam>
    /// <param name="count">How many tasks.</param>
    /// <param name="act">What task <c>i</c> does once released, given <c>i</c> (from 0) and <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Gives up waiting for the tasks when cancelled.</param>
    /// <returns>Each task's result; an exception any task threw is thrown from here.</returns>
    protected static Task<TResult[]> RunTogetherAsync<TResult>(int count, Func<int, CancellationToken, Task<TResult>> act, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(act);
        return StartTogetherAsync(count, (i, ct) => Task.FromResult<Func<Task<TResult>>>(() => act(i, ct)), cancellationToken);
    }

    /// <summary>
    /// Races <paramref name="racers"/> attempts released together, typically commits with the same expectation
    /// of which exactly one should succeed; an attempt that fails with <typeparamref name="TError"/> loses.
    /// </summary>
    /// <typeparam name="TError">The error a losing attempt fails with; any other error is thrown from here.</typeparam>
    /// <param name="racers">How many racers.</param>
    /// <param name="attempt">What racer <c>i</c> attempts once released, given <c>i</c> (from 0) and <paramref name="cancellationToken"/>.</param>
    /// <param name="cancellationToken">Gives up waiting for the racers when cancelled.</param>
    /// <returns>Each racer's outcome, in racer order.</returns>
    protected static Task<RaceOutcome<TError>[]> RaceAsync<TError>(int racers, Func<int, CancellationToken, Task> attempt, CancellationToken cancellationToken)
        where TError : Exception
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RaceAsync<TError>(racers, (racer, ct) => Task.FromResult<Func<Task>>(() => attempt(racer, ct)), cancellationToken);
    }

    /// <summary>
    /// Races <paramref name="racers"/> attempts that each first prepare (say, read what they decide on), and are
    /// released together only once all have prepared; an attempt that fails with <typeparamref name="TError"/> loses.
    /// </summary>
    /// <typeparam name="TError">The error a losing attempt fails with; any other error is thrown from here.</typeparam>
    /// <param name="racers">How many racers.</param>
    /// <param name="prepare">
    /// What racer <c>i</c> does before the release, given <c>i</c> (from 0) and <paramref name="cancellationToken"/>:
    /// it returns the attempt to make once released.
    /// </param>
    /// <param name="cancellationToken">Gives up waiting for the racers when cancelled.</param>
    /// <returns>Each racer's outcome, in racer order.</returns>
    protected static Task<RaceOutcome<TError>[]> RaceAsync<TError>(int racers, Func<int, CancellationToken, Task<Func<Task>>> prepare, CancellationToken cancellationToken)
        where TError : Exception
    {
        ArgumentNullException.ThrowIfNull(prepare);
        return StartTogetherAsync<RaceOutcome<TError>>(
            racers,
            async (racer, ct) =>
            {
                var attempt = await prepare(racer, ct).ConfigureAwait(false);
                return async () =>
                {
                    try
                    {
                        await attempt().ConfigureAwait(false);
                        return new RaceOutcome<TError>(racer, null);
                    }
                    catch (TError e)
                    {
                        return new RaceOutcome<TError>(racer, e);
                    }
                };
            },
            cancellationToken);
    }

    /// <summary>Asserts that exactly one racer of a race won.</summary>
    /// <typeparam name="TError">The error a losing racer failed with.</typeparam>
    /// <param name="outcomes">The race's outcomes.</param>
    /// <param name="round">Which race this was, for the failure message.</param>
    /// <returns>The winner's outcome.</returns>
    protected static RaceOutcome<TError> SingleWinner<TError>(IReadOnlyCollection<RaceOutcome<TError>> outcomes, string round)
        where TError : Exception
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var winners = outcomes.Where(o => o.Won).ToList();
        Assert.True(winners.Count == 1, $"In {round}, {winners.Count} of {outcomes.Count} racers won; exactly one should.");
        return winners[0];
    }

    /// <summary>
    /// A fingerprint of everything readable about the given streams, keys, consumers and queues,
    /// plus the whole log: compare it before and after a rejected batch to prove nothing changed.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="streams">Streams whose info and snapshot to include.</param>
    /// <param name="stateKeys">Durable-state keys to include.</param>
    /// <param name="consumers">Checkpoints to include.</param>
    /// <param name="queues">Queues to include.</param>
    /// <returns>A text that differs whenever anything included differs.</returns>
    protected static async Task<string> FingerprintAsync(
        IEventStore store,
        IEnumerable<StreamName>? streams = null,
        IEnumerable<StreamName>? stateKeys = null,
        IEnumerable<string>? consumers = null,
        IEnumerable<string>? queues = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var text = new StringBuilder();
        text.Append("head=").Append(await store.GetHeadPositionAsync().ConfigureAwait(false)).AppendLine();
        await foreach (var e in store.ReadAllAsync().ConfigureAwait(false))
        {
            text.AppendLine($"{e.Position} {e.Stream} {e.Revision} {e.EventId} {e.Type} {Convert.ToBase64String(e.Data.Span)} [{string.Join(' ', e.Tags)}]");
        }

        foreach (var stream in streams ?? [])
        {
            var info = await store.GetStreamInfoAsync(stream).ConfigureAwait(false);
            var snapshot = await store.ReadSnapshotAsync(stream).ConfigureAwait(false);
            text.AppendLine($"stream {stream} {info} snapshot={snapshot?.Revision}:{snapshot?.Type}:{(snapshot is null ? null : Convert.ToBase64String(snapshot.Data.Span))}");
        }

        foreach (var key in stateKeys ?? [])
        {
            var state = await store.ReadStateAsync(key).ConfigureAwait(false);
            text.AppendLine($"state {key} {state?.Version}:{state?.Type}:{(state is null ? null : Convert.ToBase64String(state.Data.Span))}");
        }

        foreach (var consumer in consumers ?? [])
        {
            text.AppendLine($"checkpoint {consumer} {await store.ReadCheckpointAsync(consumer).ConfigureAwait(false)}");
        }

        foreach (var queue in queues ?? [])
        {
            foreach (var m in await store.ReadDueMessagesAsync(queue, DateTimeOffset.MaxValue).ConfigureAwait(false))
            {
                text.AppendLine($"message {queue} {m.MessageId} {m.Revision} {m.DueAt:O} {m.FailureCount} {m.LastError} {Convert.ToBase64String(m.Data.Span)}");
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Starts <paramref name="count"/> tasks that each prepare, then releases them together once all have prepared
    /// (or every one has ended, one having failed while preparing), and returns what each returned.
    /// </summary>
    private static async Task<TResult[]> StartTogetherAsync<TResult>(int count, Func<int, CancellationToken, Task<Func<Task<TResult>>>> prepare, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(
            async () =>
            {
                var act = await prepare(i, cancellationToken).ConfigureAwait(false);
                if (Interlocked.Increment(ref ready) == count)
                {
                    allReady.SetResult();
                }

                await go.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                return await act().ConfigureAwait(false);
            },
            cancellationToken)).ToArray();

        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(allReady.Task, all).WaitAsync(cancellationToken).ConfigureAwait(false) == all)
        {
            // Every task ended before the release: one failed while preparing; show why.
            await all.ConfigureAwait(false);
        }

        go.SetResult();
        return await all.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
