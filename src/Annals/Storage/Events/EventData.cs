namespace Annals.Storage;

/// <summary>An event to append: an id, a type name, the data and the metadata.</summary>
/// <remarks>
/// The id makes appends idempotent: committing again an event whose id is already stored in the
/// same stream, in the same order, stores nothing twice.
/// </remarks>
public sealed class EventData
{
    /// <summary>Makes an event to append.</summary>
    /// <param name="eventId">The event's id, unique in the store. <see cref="Guid.Empty"/> is not allowed.</param>
    /// <param name="type">The event's type name, 1–128 characters of <c>[A-Za-z0-9_-]</c>.</param>
    /// <param name="data">The event's data, usually UTF-8 JSON.</param>
    /// <param name="metadata">Metadata such as correlation and causation ids; <see langword="null"/> for none. It is copied: later changes to the dictionary do not reach the event.</param>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is empty; or a metadata key is empty, holds a control or format character or an unpaired surrogate; or a metadata value is null or holds an unpaired surrogate.</exception>
    /// <exception cref="InvalidNameException"><paramref name="type"/> is malformed.</exception>
    public EventData(Guid eventId, string type, ReadOnlyMemory<byte> data, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (eventId == Guid.Empty)
        {
            throw new ArgumentException("An event id must not be Guid.Empty.", nameof(eventId));
        }

        var error = NameRules.CheckEventType(type);
        if (error is not null)
        {
            throw new InvalidNameException(NameKind.Type, type, error);
        }

        EventId = eventId;
        Type = type;
        Data = data;
        var frozen = FrozenMetadata.From(metadata, nameof(metadata));
        Metadata = frozen;
        Size = (int)Math.Min((long)data.Length + frozen.Size, int.MaxValue);
    }

    /// <summary>The event's id, unique in the store.</summary>
    public Guid EventId { get; }

    /// <summary>The event's type name.</summary>
    public string Type { get; }

    /// <summary>The event's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The event's metadata: a read-only copy of what it was made with.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The number of bytes this event is stored in, for the size limit: its data plus its metadata as stored, a JSON object of strings in UTF-8.</summary>
    internal int Size { get; }

    /// <summary>Makes an event with a new id and UTF-8 text as data.</summary>
    /// <param name="type">The event's type name.</param>
    /// <param name="json">The data, usually JSON.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <returns>The event.</returns>
    /// <remarks>The id is time-ordered (version 7), which keeps a database's event-id index appending at its end.</remarks>
    public static EventData FromText(string type, string json, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new EventData(Guid.CreateVersion7(), type, System.Text.Encoding.UTF8.GetBytes(json), metadata);
    }
}
