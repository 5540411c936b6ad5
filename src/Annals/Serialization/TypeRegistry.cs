using System.Collections.Concurrent;
using System.Reflection;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Serialization;

/// <summary>The names under which CLR types (events, commands, snapshots, states) are stored, and the upcasters of their older payloads.</summary>
/// <remarks>
/// Register everything at start-up; the registry is safe to read from many threads while that happens.
/// A name is stable across renames and moves of the CLR type: only the name is stored.
/// </remarks>
public sealed partial class TypeRegistry
{
    private readonly ConcurrentDictionary<string, RegisteredType> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, RegisteredType> _byType = new();
    private readonly Lock _gate = new();

    /// <summary>Every registered type.</summary>
    public IReadOnlyCollection<RegisteredType> Types => [.. _byName.Values];

    /// <summary>Registers <typeparamref name="T"/> under a name.</summary>
    /// <typeparam name="T">The CLR type.</typeparam>
    /// <param name="name">The stored name, 1–128 characters of <c>[A-Za-z0-9_-]</c>.</param>
    /// <param name="schemaVersion">The schema version written with new payloads (1 or more).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="ArgumentException">The name is taken by another type, or the type has another name or version.</exception>
    public TypeRegistry Register<T>(string name, int schemaVersion = 1) => Register(typeof(T), name, schemaVersion);

    /// <summary>Registers a CLR type under a name.</summary>
    /// <param name="clrType">The CLR type.</param>
    /// <param name="name">The stored name, 1–128 characters of <c>[A-Za-z0-9_-]</c>.</param>
    /// <param name="schemaVersion">The schema version written with new payloads (1 or more).</param>
    /// <returns>This registry.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    /// <exception cref="ArgumentException">The name is taken by another type, or the type has another name or version.</exception>
    public TypeRegistry Register(Type clrType, string name, int schemaVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        NameChecks.Type(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(schemaVersion, 1);
        if (clrType.IsAbstract || clrType.IsInterface || clrType.ContainsGenericParameters)
        {
            throw new ArgumentException($"{clrType} cannot be registered: only concrete, closed types can be stored.", nameof(clrType));
        }

        var entry = new RegisteredType(name, clrType, schemaVersion);
        lock (_gate)
        {
            if (_byName.TryGetValue(name, out var byName) && byName.ClrType != clrType)
            {
                throw new ArgumentException($"The name '{name}' is already registered for {byName.ClrType.FullName}.", nameof(name));
            }

            if (_byType.TryGetValue(clrType, out var byType) && byType != entry)
            {
                throw new ArgumentException($"{clrType.FullName} is already registered as '{byType.Name}' version {byType.SchemaVersion}.", nameof(clrType));
            }

            _byName[name] = entry;
            _byType[clrType] = entry;
        }

        return this;
    }

    /// <summary>Registers every type of an assembly marked with <see cref="EventTypeAttribute"/>.</summary>
    /// <param name="assembly">The assembly.</param>
    /// <returns>This registry.</returns>
    /// <exception cref="InvalidNameException">An attribute's name is malformed.</exception>
    /// <exception cref="ArgumentException">Two types claim one name.</exception>
    public TypeRegistry RegisterAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes())
        {
            if (type.GetCustomAttribute<EventTypeAttribute>() is { } attribute)
            {
                Register(type, attribute.Name, attribute.SchemaVersion);
            }
        }

        return this;
    }

    /// <summary>Registers <typeparamref name="T"/> under the name its <see cref="EventTypeAttribute"/> gives.</summary>
    /// <typeparam name="T">The CLR type.</typeparam>
    /// <returns>This registry.</returns>
    /// <exception cref="ArgumentException">The type has no <see cref="EventTypeAttribute"/>.</exception>
    public TypeRegistry Register<T>()
    {
        var attribute = typeof(T).GetCustomAttribute<EventTypeAttribute>()
            ?? throw new ArgumentException($"{typeof(T).FullName} has no [EventType] attribute; pass its name to Register<T>(name).", nameof(T));
        return Register(typeof(T), attribute.Name, attribute.SchemaVersion);
    }

    /// <summary>Finds the registration of a CLR type.</summary>
    /// <param name="clrType">The CLR type.</param>
    /// <returns>The registration.</returns>
    /// <exception cref="UnregisteredTypeException">The type is not registered.</exception>
    public RegisteredType Get(Type clrType)
    {
        ArgumentNullException.ThrowIfNull(clrType);
        return _byType.TryGetValue(clrType, out var entry) ? entry : throw new UnregisteredTypeException(clrType);
    }

    /// <summary>Finds the registration of a stored name.</summary>
    /// <param name="name">The stored name.</param>
    /// <param name="registered">The registration, when found.</param>
    /// <returns>Whether the name is registered.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredType? registered)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out registered);
    }

    /// <summary>Whether a CLR type is registered.</summary>
    /// <param name="clrType">The CLR type.</param>
    /// <returns>Whether it is.</returns>
    public bool IsRegistered(Type clrType) => _byType.ContainsKey(clrType);
}
