namespace Annals.Storage.Providers;

/// <summary>A queued message to insert: what was enqueued, and its fields as the group leaves them.</summary>
/// <param name="Enqueue">The operation that enqueued it: its type, data and metadata.</param>
/// <param name="DueAt">When it is due; a later batch of the group may have rescheduled it.</param>
/// <param name="FailureCount">The number of failed attempts.</param>
/// <param name="LastError">The last attempt's error, if any.</param>
/// <param name="Revision">Its revision: 0, plus one per reschedule in the group.</param>
/// <param name="Sequence">The queue sequence number it took, which orders messages due at the same time by enqueue order.</param>
/// <param name="EnqueuedAt">When it was enqueued: the time the group was planned at.</param>
public sealed record MessageInsert(EnqueueOperation Enqueue, DateTimeOffset DueAt, int FailureCount, string? LastError, long Revision, long Sequence, DateTimeOffset EnqueuedAt);
