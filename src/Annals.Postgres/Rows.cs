namespace Annals.Postgres;

/// <summary>An event row to insert.</summary>
internal sealed record EventRow(long Position, Guid EventId, StreamName Stream, long Revision, string Type, byte[] Data, object Metadata, long Timestamp);

/// <summary>A snapshot (its revision) or durable-state (its version) row to write: both tables have this shape.</summary>
internal sealed record VersionedRow(long Version, string Type, byte[] Data, long Timestamp);

/// <summary>A queue message row to insert.</summary>
internal sealed record MessageRow(string Type, byte[] Data, object Metadata, long DueAt, int FailureCount, string? LastError, long Revision, long EnqueuedAt, long Sequence);

/// <summary>The fields a reschedule changes.</summary>
internal sealed record MessageUpdate(long DueAt, int FailureCount, string? LastError, long Revision);

/// <summary>
/// The net change of one message over a group: a row to insert (after deleting the stored one,
/// if any), fields to update, or, with neither, a delete of the stored row.
/// </summary>
internal sealed record MessageWrite(bool ExistedBefore, MessageRow? Insert, MessageUpdate? Update);
