using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Annals.Projections;
using Annals.Storage;

namespace Annals.Testing.Conformance.Projections;

/// <summary>
/// A projection for the suite: it keeps a tally (events and last position) in the store's durable state, written in
/// the checkpoint's commit, so it counts each event exactly once; and it records every delivery in memory, which is
/// at least once. Events can be made to fail: always (poison) or a number of times (transient).
/// </summary>
internal sealed class TallyProjection(string name) : IProjection
{
    private readonly ConcurrentDictionary<Guid, int> _transientFailures = new();
    private readonly ConcurrentQueue<RecordedEvent> _delivered = new();

    /// <summary>The durable-state key of the tally.</summary>
    public StreamName Key { get; } = StreamName.For("tally", name.Replace(':', '-').Replace('/', '-'));

    /// <summary>Every event delivered, in delivery order, retries and replays included.</summary>
    public IReadOnlyList<RecordedEvent> Delivered => [.. _delivered];

    /// <summary>Events whose data is this text fail every time while set.</summary>
    public string? Poison { get; set; }

    /// <summary>Once this many events are delivered, the handler holds its batch until it is cancelled.</summary>
    public int? HoldAfter { get; set; }

    /// <summary>Whether the handler holds a batch now.</summary>
    public bool Holding { get; private set; }

    /// <summary>Makes the batch holding this event fail <paramref name="times"/> times before it succeeds.</summary>
    public void FailTransiently(Guid eventId, int times) => _transientFailures[eventId] = times;

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        foreach (var e in batch.Events)
        {
            _delivered.Enqueue(e);
            if (Poison is { } poison && e.DataAsText() == poison)
            {
                throw new InvalidOperationException($"Event {e.Position} is poison.");
            }

            if (_transientFailures.TryGetValue(e.EventId, out var left) && left > 0)
            {
                _transientFailures[e.EventId] = left - 1;
                throw new TimeoutException($"Event {e.Position} failed for now.");
            }
        }

        if (HoldAfter is { } hold && _delivered.Count >= hold)
        {
            Holding = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        // The store is the projection's own: read the tally and write the next version with the checkpoint.
        var store = Store ?? throw new InvalidOperationException("The tally projection has no store.");
        var current = await store.ReadStateAsync(Key, cancellationToken);
        var (count, _) = current is null ? (0L, 0L) : Parse(current.Data);
        var text = string.Create(CultureInfo.InvariantCulture, $"{count + batch.Events.Count},{batch.LastPosition}");
        batch.Commit.SaveState(Key, (current?.Version ?? 0) + 1, "tally", Encoding.UTF8.GetBytes(text));
    }

    public async ValueTask ResetAsync(CommitBatch commit, CancellationToken cancellationToken)
    {
        var store = Store ?? throw new InvalidOperationException("The tally projection has no store.");
        if (await store.ReadStateAsync(Key, cancellationToken) is { } current)
        {
            commit.SaveState(Key, current.Version + 1, "tally", Encoding.UTF8.GetBytes("0,0"));
        }
    }

    /// <summary>The store the tally lives in.</summary>
    public IEventStore? Store { get; set; }

    /// <summary>The tally as stored: events counted and the last position counted.</summary>
    public static async Task<(long Count, long LastPosition)> ReadAsync(IEventStore store, StreamName key) =>
        await store.ReadStateAsync(key) is { } state ? Parse(state.Data) : (0, 0);

    private static (long Count, long LastPosition) Parse(ReadOnlyMemory<byte> data)
    {
        var parts = Encoding.UTF8.GetString(data.Span).Split(',');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
