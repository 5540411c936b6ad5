namespace Annals.Storage;

/// <summary>A stream's folded state at a revision, stored only to make recovery faster.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Revision">The revision of the last event folded into it.</param>
/// <param name="Type">The snapshot's type name (include a schema version in it to ignore old shapes).</param>
/// <param name="Data">The serialized state.</param>
/// <param name="Timestamp">When it was saved, from the store's clock.</param>
public sealed record Snapshot(StreamName Stream, long Revision, string Type, ReadOnlyMemory<byte> Data, DateTimeOffset Timestamp);
