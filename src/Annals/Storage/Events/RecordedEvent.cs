namespace Annals.Storage;

/// <summary>An event as stored: what was appended, plus where and when.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Stream">The stream it belongs to.</param>
/// <param name="Revision">Its 0-based index within the stream.</param>
/// <param name="Position">Its place in the store's global log; strictly increasing in commit order, starting at 1.</param>
/// <param name="Type">Its type name.</param>
/// <param name="Data">Its data.</param>
/// <param name="Metadata">Its metadata.</param>
/// <param name="Timestamp">When it was committed, from the store's clock.</param>
public sealed record RecordedEvent(
    Guid EventId,
    StreamName Stream,
    long Revision,
    long Position,
    string Type,
    ReadOnlyMemory<byte> Data,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset Timestamp)
{
    /// <summary>The event's tags, in the order they were appended with; empty when it has none.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The event's subject, <c>category.id.type</c>, which filters match.</summary>
    public string Subject => $"{Stream.Value}.{Type}";

    /// <summary>The data decoded as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string DataAsText() => System.Text.Encoding.UTF8.GetString(Data.Span);
}
