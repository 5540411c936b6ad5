namespace Annals.Storage;

/// <summary>An event to append: an id, a type name, the data, the metadata and the tags.</summary>
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
    /// <param name="tags">
    /// What the event is about (<c>course:c1</c>, <c>student:s7</c>), which tag queries match: at most
    /// <see cref="EventStoreLimits.MaxTagsPerEvent"/>, each once, each 1–<see cref="EventStoreLimits.MaxTagLength"/>
    /// code units of well-formed text without whitespace, control or format characters; <see langword="null"/> for none.
    /// They are copied and read back in the order given.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is empty; or a metadata key is empty, holds a control or format character or an unpaired surrogate; or a metadata value is null or holds an unpaired surrogate.</exception>
    /// <exception cref="InvalidNameException"><paramref name="type"/> or a tag is malformed, a tag appears twice, or there are too many tags.</exception>
    public EventData(Guid eventId, string type, ReadOnlyMemory<byte> data, IReadOnlyDictionary<string, string>? metadata = null, IEnumerable<string>? tags = null)
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
        var frozenTags = FrozenTags.From(tags);
        Tags = frozenTags;
        Size = (int)Math.Min((long)data.Length + frozen.Size + frozenTags.Size, int.MaxValue);
    }

    /// <summary>The event's id, unique in the store.</summary>
    public Guid EventId { get; }

    /// <summary>The event's type name.</summary>
    public string Type { get; }

    /// <summary>The event's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The event's metadata: a read-only copy of what it was made with.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The event's tags, in the order given; empty when it has none.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>
    /// The number of bytes this event is stored in, for the size limit: its data plus its metadata as stored, a JSON
    /// object of strings in UTF-8, plus its tags as stored, a JSON array of strings in UTF-8.
    /// </summary>
    internal int Size { get; }

    /// <summary>The same event (id, type, data and metadata) carrying the given tags instead of its own.</summary>
    /// <param name="tags">The tags, by the rules of the constructor's.</param>
    /// <returns>The new event.</returns>
    /// <exception cref="InvalidNameException">A tag is malformed, a tag appears twice, or there are too many tags.</exception>
    public EventData WithTags(params IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return new EventData(EventId, Type, Data, Metadata, tags);
    }

    /// <summary>Makes an event with a new id and UTF-8 text as data.</summary>
    /// <param name="type">The event's type name.</param>
    /// <param name="json">The data, usually JSON.</param>
    /// <param name="metadata">Optional metadata.</param>
    /// <param name="tags">Optional tags, by the rules of the constructor's.</param>
    /// <returns>The event.</returns>
    /// <remarks>The id is time-ordered (version 7), which keeps a database's event-id index appending at its end.</remarks>
    public static EventData FromText(string type, string json, IReadOnlyDictionary<string, string>? metadata = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new EventData(Guid.CreateVersion7(), type, System.Text.Encoding.UTF8.GetBytes(json), metadata, tags);
    }
}
