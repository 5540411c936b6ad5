namespace Annals.Storage;

/// <summary>A key's latest state and version, kept without history.</summary>
/// <param name="Key">The key.</param>
/// <param name="Version">The version, 1 for the first save and one more for each save after it.</param>
/// <param name="Type">The state's type name.</param>
/// <param name="Data">The serialized state.</param>
/// <param name="Timestamp">When it was saved, from the store's clock.</param>
public sealed record DurableState(StreamName Key, long Version, string Type, ReadOnlyMemory<byte> Data, DateTimeOffset Timestamp);
