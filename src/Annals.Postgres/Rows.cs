namespace Annals.Postgres;

/// <summary>An event row to insert.</summary>
internal sealed record EventRow(long Position, Guid EventId, string Stream, long Revision, string Type, byte[] Data, object Metadata, long Timestamp);

/// <summary>A snapshot row to write.</summary>
internal sealed record SnapshotRow(long Revision, string Type, byte[] Data, long Timestamp);

/// <summary>A durable-state row to write.</summary>
internal sealed record StateRow(long Version, string Type, byte[] Data, long Timestamp);

/// <summary>A queue message row to insert.</summary>
internal sealed record MessageRow(string Type, byte[] Data, object Metadata, long DueAt, int FailureCount, string? LastError, long Revision, long EnqueuedAt, long Sequence);

/// <summary>The fields a reschedule changes.</summary>
internal sealed record MessageUpdate(long DueAt, int FailureCount, string? LastError, long Revision);

/// <summary>
/// The net change of one message over a group: a row to insert (after deleting the stored one,
/// if any), fields to update, or, with neither, a delete of the stored row.
/// </summary>
internal sealed record MessageWrite(bool ExistedBefore, MessageRow? Insert, MessageUpdate? Update);
