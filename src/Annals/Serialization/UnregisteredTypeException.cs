namespace Annals.Serialization;

/// <summary>An object of a CLR type that no type registry entry names was to be written.</summary>
public sealed class UnregisteredTypeException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="clrType">The CLR type.</param>
    public UnregisteredTypeException(Type clrType)
        : base($"The type {clrType.FullName} is not registered: register it with TypeRegistry.Register<{clrType.Name}>(\"name\") or mark it [EventType(\"name\")] and register its assembly.")
    {
        ClrType = clrType;
    }

    /// <summary>The CLR type.</summary>
    public Type ClrType { get; }
}
