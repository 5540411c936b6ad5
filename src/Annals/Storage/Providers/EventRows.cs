using System.Data.Common;

namespace Annals.Storage.Providers;

/// <summary>
/// Makes <see cref="RecordedEvent"/>s of the rows of one read, in the column order of
/// <see cref="Columns"/>. Consecutive rows of one stream share one parsed stream name, so a
/// name is validated once per run of rows rather than once per row. The event id column is a
/// <see cref="Guid"/> or its 16 bytes; times are UTC ticks.
/// </summary>
public sealed class EventRows
{
    /// <summary>The columns an event is read from, in order.</summary>
    public const string Columns = "position, event_id, stream, revision, type, data, metadata, timestamp, tags";

    private string? _streamText;
    private StreamName _stream;

    /// <summary>Reads the event whose columns start at <paramref name="at"/>.</summary>
    /// <param name="reader">A reader on the row.</param>
    /// <param name="at">The index of the row's first event column.</param>
    /// <returns>The event.</returns>
    /// <exception cref="CorruptDataException">The row does not hold a valid event.</exception>
    public RecordedEvent Read(DbDataReader reader, int at = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var position = reader.GetInt64(at);
        try
        {
            var streamText = reader.GetString(at + 2);
            if (!string.Equals(streamText, _streamText, StringComparison.Ordinal))
            {
                _stream = StreamName.Parse(streamText);
                _streamText = streamText;
            }

            var data = reader.GetFieldValue<byte[]>(at + 5);
            var metadata = reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6);
            var tags = reader.IsDBNull(at + 8) ? null : reader.GetString(at + 8);
            return new RecordedEvent(
                reader.GetGuid(at + 1),
                _stream,
                reader.GetInt64(at + 3),
                position,
                reader.GetString(at + 4),
                data,
                MetadataJson.Decode(metadata),
                new DateTimeOffset(reader.GetInt64(at + 7), TimeSpan.Zero))
            {
                Tags = TagsJson.Decode(tags),
            };
        }
        catch (Exception e) when (e is CorruptDataException or InvalidNameException or ArgumentException or InvalidCastException or FormatException)
        {
            throw new CorruptDataException($"The event at position {position} cannot be read: {e.Message}", e);
        }
    }
}
