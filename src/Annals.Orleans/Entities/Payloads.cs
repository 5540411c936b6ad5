using System.Collections.Concurrent;
using Annals.Serialization;

namespace Annals.Orleans.Entities;

/// <summary>
/// Writes commands, states and events as <see cref="Payload"/>s with the store's payload serializer, and reads them
/// back. A command or state is read only as a type its category declares, or a concrete subtype of it from the same
/// assembly: a name from the wire never loads an arbitrary type. Events go by their registered type names.
/// </summary>
internal sealed class Payloads(EventCodec codec)
{
    private static readonly ConcurrentDictionary<(Type Declared, string Name), Type> Resolved = new();

    public Payload Write(object value)
    {
        var type = value.GetType();
        return new Payload(type.FullName ?? type.Name, codec.Serializer.Serialize(value, type));
    }

    public object Read(Payload payload, Type declared)
    {
        // Only names that resolve are remembered: a stream of made-up names from the wire must not grow the cache.
        if (!Resolved.TryGetValue((declared, payload.Type), out var type))
        {
            type = Resolve(declared, payload.Type)
                ?? throw new ArgumentException($"'{payload.Type}' is not a {declared.Name} known here: a command or state is read only as its category's type or a concrete subtype of it from the same assembly.");
            Resolved[(declared, payload.Type)] = type;
        }

        return codec.Serializer.Deserialize(payload.Data, type);
    }

    public Payload WriteEvent(object @event)
    {
        var registered = codec.Registry.Get(@event.GetType());
        return new Payload(registered.Name, codec.Serializer.Serialize(@event, registered.ClrType));
    }

    public object ReadEvent(Payload payload) =>
        codec.Registry.TryGet(payload.Type, out var registered)
            ? codec.Serializer.Deserialize(payload.Data, registered.ClrType)
            : throw new ArgumentException($"The event type '{payload.Type}' is not registered here: register the entity's events in this process's type registry too.");

    private static Type? Resolve(Type declared, string name)
    {
        if (declared.FullName == name)
        {
            return declared.IsAbstract ? null : declared;
        }

        foreach (var candidate in declared.Assembly.GetTypes())
        {
            if (candidate.FullName == name && !candidate.IsAbstract && declared.IsAssignableFrom(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
