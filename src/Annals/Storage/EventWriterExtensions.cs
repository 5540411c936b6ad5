namespace Annals.Storage;

/// <summary>Shortcuts for batches of one operation.</summary>
public static class EventWriterExtensions
{
    /// <summary>Appends events to one stream.</summary>
    /// <param name="writer">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before the append.</param>
    /// <param name="events">The events, at least one.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>Where the events were stored.</returns>
    public static async ValueTask<AppendResult> AppendAsync(this IEventWriter writer, StreamName stream, ExpectedRevision expected, IEnumerable<EventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var result = await writer.CommitAsync(new CommitBatch().Append(stream, expected, events), cancellationToken).ConfigureAwait(false);
        return result.Appends[0];
    }

    /// <summary>Appends one event to one stream.</summary>
    /// <param name="writer">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be before the append.</param>
    /// <param name="event">The event.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>Where the event was stored.</returns>
    public static ValueTask<AppendResult> AppendAsync(this IEventWriter writer, StreamName stream, ExpectedRevision expected, EventData @event, CancellationToken cancellationToken = default) =>
        writer.AppendAsync(stream, expected, [@event], cancellationToken);

    /// <summary>Removes a stream's events before a revision.</summary>
    /// <param name="writer">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="beforeRevision">Events with a lower revision are removed.</param>
    /// <param name="expected">What the stream must be; <see cref="ExpectedRevision.Any"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>A task that completes when the truncation is durable.</returns>
    public static async ValueTask TruncateStreamAsync(this IEventWriter writer, StreamName stream, long beforeRevision, ExpectedRevision? expected = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.CommitAsync(new CommitBatch().TruncateStream(stream, beforeRevision, expected), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a stream.</summary>
    /// <param name="writer">The store.</param>
    /// <param name="stream">The stream.</param>
    /// <param name="expected">What the stream must be; <see cref="ExpectedRevision.Any"/> when omitted.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>A task that completes when the deletion is durable.</returns>
    public static async ValueTask DeleteStreamAsync(this IEventWriter writer, StreamName stream, ExpectedRevision? expected = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.CommitAsync(new CommitBatch().DeleteStream(stream, expected), cancellationToken).ConfigureAwait(false);
    }
}
