namespace Annals.Serialization;

/// <summary>A payload as stored, before it becomes an object: what upcasters transform.</summary>
/// <param name="Type">The stored type name.</param>
/// <param name="SchemaVersion">The schema version it was written with.</param>
/// <param name="Data">The serialized data.</param>
public readonly record struct StoredPayload(string Type, int SchemaVersion, ReadOnlyMemory<byte> Data);
