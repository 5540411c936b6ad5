using System.Globalization;
using Annals.Storage;

namespace Annals.Projections;

/// <summary>
/// The events projections have parked, kept in the store's durable queue <c>parked:&lt;projection&gt;</c>: listed by
/// anyone, replayed by the projection's owner once a replay is requested (from any process, the CLI included).
/// </summary>
public static class ParkedEvents
{
    /// <summary>The due time of a parked event that waits for a replay request.</summary>
    public static readonly DateTimeOffset NotDue = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private const string QueuePrefix = "parked:";
    private const string StreamKey = "stream";
    private const string RevisionKey = "revision";
    private const string PositionKey = "position";

    /// <summary>The queue that holds a projection's parked events.</summary>
    /// <param name="projection">The projection's name.</param>
    /// <returns>The queue's name.</returns>
    public static string QueueOf(string projection)
    {
        ArgumentException.ThrowIfNullOrEmpty(projection);
        return QueuePrefix + projection;
    }

    /// <summary>Lists a projection's parked events, oldest request first.</summary>
    /// <param name="store">The store.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The parked events.</returns>
    public static async Task<IReadOnlyList<ParkedEvent>> ListAsync(IEventStore store, string projection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var messages = await store.ReadDueMessagesAsync(QueueOf(projection), DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. messages.Select(m => ToParked(projection, m))];
    }

    /// <summary>
    /// Requests the replay of a projection's parked events (or of one): the projection's owner hands each to the
    /// handler again within its parked-check interval; one that is handled is removed, one that fails stays parked.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="projection">The projection's name.</param>
    /// <param name="eventId">The one event to replay; all when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock that says when "now" is; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>How many replays were requested.</returns>
    public static async Task<int> RequestReplayAsync(IEventStore store, string projection, Guid? eventId = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var queue = QueueOf(projection);
        var messages = await store.ReadDueMessagesAsync(queue, DateTimeOffset.MaxValue, cancellationToken: cancellationToken).ConfigureAwait(false);
        var batch = new CommitBatch();
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        foreach (var m in messages.Where(m => eventId is null || m.MessageId == eventId))
        {
            batch.Reschedule(queue, m.MessageId, m.Revision, now, m.FailureCount, m.LastError);
        }

        if (batch.Operations.Count == 0)
        {
            return 0;
        }

        await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        return batch.Operations.Count;
    }

    internal static CommitBatch Park(CommitBatch batch, string projection, RecordedEvent e, Exception error) =>
        batch.Enqueue(
            QueueOf(projection),
            e.EventId,
            e.Type,
            e.Data,
            NotDue,
            new Dictionary<string, string>
            {
                [StreamKey] = e.Stream.Value,
                [RevisionKey] = e.Revision.ToString(CultureInfo.InvariantCulture),
                [PositionKey] = e.Position.ToString(CultureInfo.InvariantCulture),
                ["error"] = Describe(error),
            });

    internal static long PositionOf(QueueMessage message) => long.Parse(message.Metadata[PositionKey], CultureInfo.InvariantCulture);

    // An error's message may quote ill-formed text that a store refuses; the record of the error must not fail to store.
    internal static string Describe(Exception error) => NameRules.ToWellFormed($"{error.GetType().Name}: {error.Message}");

    internal static ParkedEvent ToParked(string projection, QueueMessage m) => new(
        projection,
        m.MessageId,
        StreamName.Parse(m.Metadata[StreamKey]),
        long.Parse(m.Metadata[RevisionKey], CultureInfo.InvariantCulture),
        PositionOf(m),
        m.Type,
        m.EnqueuedAt,
        m.FailureCount,
        m.LastError ?? m.Metadata.GetValueOrDefault("error"),
        m.DueAt < NotDue);
}
