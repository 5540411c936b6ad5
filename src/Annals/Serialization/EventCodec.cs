using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Annals.Storage;

namespace Annals.Serialization;

/// <summary>Turns application objects into stored events, snapshots and states, and back: the type registry plus a serializer.</summary>
public sealed class EventCodec
{
    /// <summary>Makes a codec.</summary>
    /// <param name="registry">The type names and upcasters.</param>
    /// <param name="serializer">The serializer; <see cref="JsonPayloadSerializer.Default"/> when <see langword="null"/>.</param>
    public EventCodec(TypeRegistry registry, IPayloadSerializer? serializer = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Registry = registry;
        Serializer = serializer ?? JsonPayloadSerializer.Default;
    }

    /// <summary>The type names and upcasters.</summary>
    public TypeRegistry Registry { get; }

    /// <summary>The serializer.</summary>
    public IPayloadSerializer Serializer { get; }

    /// <summary>Makes a stored event of an object, with a new time-ordered id.</summary>
    /// <param name="event">The event object; its CLR type must be registered.</param>
    /// <param name="context">The command that caused it, for correlation and causation ids; <see langword="null"/> for none.</param>
    /// <returns>The event to append.</returns>
    /// <exception cref="UnregisteredTypeException">The object's type is not registered.</exception>
    public EventData Encode(object @event, MessageContext? context = null) => Encode(@event, Guid.CreateVersion7(), context);

    /// <summary>Makes a stored event of an object, with the given id.</summary>
    /// <param name="event">The event object; its CLR type must be registered.</param>
    /// <param name="eventId">The event's id.</param>
    /// <param name="context">The command that caused it; <see langword="null"/> for none.</param>
    /// <returns>The event to append.</returns>
    /// <exception cref="UnregisteredTypeException">The object's type is not registered.</exception>
    public EventData Encode(object @event, Guid eventId, MessageContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var registered = Registry.Get(@event.GetType());
        var data = Serializer.Serialize(@event, registered.ClrType);
        IReadOnlyDictionary<string, string>? metadata = context is not null
            ? context.EventMetadata(registered.SchemaVersion)
            : registered.SchemaVersion == 1 ? null
            : new Dictionary<string, string> { [MetadataKeys.SchemaVersion] = registered.SchemaVersion.ToString(CultureInfo.InvariantCulture) };
        return new EventData(eventId, registered.Name, data, metadata);
    }

    /// <summary>Makes objects of a stored event: usually one, several when an upcaster splits it.</summary>
    /// <param name="record">The stored event.</param>
    /// <returns>The objects.</returns>
    /// <exception cref="UnknownEventTypeException">Its type name (after upcasting) is not registered.</exception>
    /// <exception cref="EventDecodingException">Its payload does not fit the registered type, its schema version is unreadable or newer than the registered one, or an upcaster failed.</exception>
    public IReadOnlyList<object> Decode(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var version = SchemaVersionOf(record);
        if (!Registry.HasUpcasters)
        {
            return [DecodeOne(record, new StoredPayload(record.Type, version, record.Data))];
        }

        IReadOnlyList<StoredPayload> payloads;
        try
        {
            payloads = Registry.Upcast(new StoredPayload(record.Type, version, record.Data));
        }
        catch (Exception e) when (e is not AnnalsException and not OutOfMemoryException)
        {
            throw new EventDecodingException(record, $"upcasting version {version} failed: {e.Message}", e);
        }

        if (payloads.Count == 1)
        {
            return [DecodeOne(record, payloads[0])];
        }

        var objects = new object[payloads.Count];
        for (var i = 0; i < objects.Length; i++)
        {
            objects[i] = DecodeOne(record, payloads[i]);
        }

        return objects;
    }

    /// <summary>The snapshot type name a state type is stored under: its registered name and schema version, so that a changed state type ignores older snapshots.</summary>
    /// <param name="stateType">The state's CLR type.</param>
    /// <returns>The snapshot type name.</returns>
    /// <exception cref="UnregisteredTypeException">The type is not registered.</exception>
    public string SnapshotTypeOf(Type stateType)
    {
        var registered = Registry.Get(stateType);
        return string.Create(CultureInfo.InvariantCulture, $"{registered.Name}-v{registered.SchemaVersion}");
    }

    /// <summary>Serializes a state for a snapshot or a durable state.</summary>
    /// <typeparam name="TState">The state's registered type.</typeparam>
    /// <param name="state">The state.</param>
    /// <returns>The type name to store and the data.</returns>
    /// <exception cref="UnregisteredTypeException"><typeparamref name="TState"/> is not registered.</exception>
    public (string Type, byte[] Data) EncodeState<TState>(TState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var type = SnapshotTypeOf(typeof(TState));
        return (type, Serializer.Serialize(state, typeof(TState)));
    }

    /// <summary>Reads a state stored by <see cref="EncodeState{TState}"/>, unless it was stored for another type or schema version or cannot be read.</summary>
    /// <typeparam name="TState">The state's registered type.</typeparam>
    /// <param name="type">The stored type name.</param>
    /// <param name="data">The stored data.</param>
    /// <param name="state">The state, when it could be read.</param>
    /// <param name="skippedBecause">Why it could not, when it could not.</param>
    /// <returns>Whether the state could be read.</returns>
    /// <exception cref="UnregisteredTypeException"><typeparamref name="TState"/> is not registered.</exception>
    public bool TryDecodeState<TState>(string type, ReadOnlyMemory<byte> data, [MaybeNullWhen(false)] out TState state, [NotNullWhen(false)] out string? skippedBecause)
    {
        ArgumentNullException.ThrowIfNull(type);
        var expected = SnapshotTypeOf(typeof(TState));
        if (type != expected)
        {
            state = default;
            skippedBecause = $"it was stored as '{type}', and the state is now '{expected}'";
            return false;
        }

        try
        {
            state = (TState)Serializer.Deserialize(data.Span, typeof(TState));
            skippedBecause = null;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            state = default;
            skippedBecause = $"its data cannot be read as {typeof(TState).Name}: {e.Message}";
            return false;
        }
    }

    private static int SchemaVersionOf(RecordedEvent record)
    {
        if (!record.Metadata.TryGetValue(MetadataKeys.SchemaVersion, out var text))
        {
            return 1;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
            ? version
            : throw new EventDecodingException(record, $"its schema version '{text}' is not a positive whole number.");
    }

    private object DecodeOne(RecordedEvent record, StoredPayload payload)
    {
        if (!Registry.TryGet(payload.Type, out var registered))
        {
            throw new UnknownEventTypeException(record, payload.Type);
        }

        if (payload.SchemaVersion > registered.SchemaVersion)
        {
            throw new EventDecodingException(record, $"it was written with schema version {payload.SchemaVersion} of '{payload.Type}', newer than version {registered.SchemaVersion} that this process knows.");
        }

        // An older version without an upcaster is read as it is: adding an optional property needs none.
        try
        {
            return Serializer.Deserialize(payload.Data.Span, registered.ClrType);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new EventDecodingException(record, $"its data is not a {registered.ClrType.Name}: {e.Message}", e);
        }
    }
}
