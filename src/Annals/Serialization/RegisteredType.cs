namespace Annals.Serialization;

/// <summary>A CLR type known to a <see cref="TypeRegistry"/>.</summary>
/// <param name="Name">The stored name.</param>
/// <param name="ClrType">The CLR type.</param>
/// <param name="SchemaVersion">The schema version written with new payloads; older payloads are upcast to it on read.</param>
public sealed record RegisteredType(string Name, Type ClrType, int SchemaVersion);
