using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Nats;

/// <summary>
/// One JetStream message: one commit's events of one stream, with the stream's head after them. A truncate or a delete
/// is a message with no events and the new head. Laid out as: format (1 byte), the head's first and last revision, whether
/// the stream is deleted and (without events) its last position, the commit's time, the first event's revision, then each event: id, type, metadata,
/// tags, data.
/// </summary>
internal static class NatsStreamMessage
{
    private const byte Format = 1;

    public static ReadOnlyMemory<byte> Encode(StreamHead head, DateTimeOffset timestamp, IReadOnlyList<NewEvent> events)
    {
        var writer = new NatsBinaryWriter(64 + (events.Count * 96));
        writer.Byte(Format);
        writer.Int64(head.FirstRevision);
        writer.Int64(head.LastRevision);
        writer.Byte(head.Deleted ? (byte)1 : (byte)0);

        // A message with events knows its last position from its sequence; one without keeps the stream's, already stored.
        writer.Int64(events.Count == 0 ? head.LastPosition : 0);
        writer.Int64(timestamp.UtcTicks);
        writer.Int64(events.Count == 0 ? head.LastRevision + 1 : events[0].Revision);
        writer.Int32(events.Count);
        foreach (var e in events)
        {
            var data = e.Event;
            writer.Guid(data.EventId);
            writer.String(data.Type);
            writer.Map(data.Metadata);
            writer.Strings(data.Tags);
            writer.Bytes(data.Data.Span);
        }

        return writer.Written;
    }

    public static StreamHead ReadHead(ReadOnlyMemory<byte> payload, ulong sequence)
    {
        var reader = Open(payload);
        var first = reader.Int64();
        var last = reader.Int64();
        var deleted = reader.Byte() != 0;
        var storedLastPosition = reader.Int64();
        reader.Int64();
        reader.Int64();
        var count = reader.Int32();
        return new StreamHead(first, last, count == 0 ? storedLastPosition : NatsPositions.Of(sequence, count - 1), deleted);
    }

    /// <summary>The message's events that are still stored: at or after <paramref name="fromRevision"/>.</summary>
    public static void ReadEvents(ReadOnlyMemory<byte> payload, StreamName stream, ulong sequence, long fromRevision, List<RecordedEvent> into)
    {
        var reader = Open(payload);
        reader.Int64();
        reader.Int64();
        reader.Byte();
        reader.Int64();
        var timestamp = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
        var revision = reader.Int64();
        var count = reader.Int32();
        for (var i = 0; i < count; i++, revision++)
        {
            var id = reader.Guid();
            var type = reader.String();
            var metadata = reader.Map();
            var tags = reader.Strings();
            var data = reader.Bytes();
            if (revision >= fromRevision)
            {
                into.Add(new RecordedEvent(id, stream, revision, NatsPositions.Of(sequence, i), type, data, metadata, timestamp) { Tags = tags });
            }
        }
    }

    private static NatsBinaryReader Open(ReadOnlyMemory<byte> payload)
    {
        var reader = new NatsBinaryReader(payload, "A NATS event message");
        if (reader.Byte() != Format)
        {
            throw new CorruptDataException($"A NATS event message has an unknown format ({payload.Length} bytes)");
        }

        return reader;
    }
}
