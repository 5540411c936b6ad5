namespace Annals.Bench.Raw;

/// <summary>A row of the events table as plain ADO.NET code would hold it.</summary>
internal sealed record RawEvent(long Position, Guid EventId, string Stream, long Revision, string Type, byte[] Data, string? Metadata, DateTimeOffset Timestamp);
