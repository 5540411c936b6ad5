namespace Annals.Serialization;

/// <summary>Names a CLR type for the store, so that <see cref="TypeRegistry.RegisterAssembly"/> finds it.</summary>
/// <remarks>
/// The name is what the store keeps, so renaming or moving the CLR type later changes nothing stored.
/// </remarks>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class EventTypeAttribute : Attribute
{
    /// <summary>Names the type.</summary>
    /// <param name="name">The stored name, 1–128 characters of <c>[A-Za-z0-9_-]</c>.</param>
    public EventTypeAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The stored name.</summary>
    public string Name { get; }

    /// <summary>The schema version written with new payloads of this type.</summary>
    /// <value>The default value is 1.</value>
    public int SchemaVersion { get; init; } = 1;
}
