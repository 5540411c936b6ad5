namespace Annals;

/// <summary>An event to append: an id, a type name, the data and the metadata.</summary>
/// <remarks>
/// The id makes appends idempotent: committing again an event whose id is already stored in the
/// same stream, in the same order, stores nothing twice.
/// </remarks>
public sealed class EventData
{
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>Makes an event to append.</summary>
    /// <param name="eventId">The event's id, unique in the store. <see cref="Guid.Empty"/> is not allowed.</param>
    /// <param name="type">The event's type name, 1–128 characters of <c>[A-Za-z0-9_-]</c>.</param>
    /// <param name="data">The event's data, usually UTF-8 JSON.</param>
    /// <param name="metadata">Metadata such as correlation and causation ids; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><paramref name="eventId"/> is empty.</exception>
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
        Metadata = metadata ?? NoMetadata;
        Size = MeasureSize(data, Metadata);
    }

    /// <summary>The event's id, unique in the store.</summary>
    public Guid EventId { get; }

    /// <summary>The event's type name.</summary>
    public string Type { get; }

    /// <summary>The event's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The event's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The number of bytes this event occupies for the size limit: data plus metadata keys and values (as UTF-16 code units times two).</summary>
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

    private static int MeasureSize(ReadOnlyMemory<byte> data, IReadOnlyDictionary<string, string> metadata)
    {
        long size = data.Length;
        foreach (var (key, value) in metadata)
        {
            size += 2L * (key.Length + value.Length);
        }

        return (int)Math.Min(size, int.MaxValue);
    }
}
