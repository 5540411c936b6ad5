namespace Annals.Storage;

/// <summary>A message in a durable queue, due at a time: a process timeout, an outbox entry, a retry.</summary>
/// <param name="Queue">The queue's name.</param>
/// <param name="MessageId">The message's id, unique within the queue.</param>
/// <param name="Type">The message's type name.</param>
/// <param name="Data">The message's data.</param>
/// <param name="Metadata">The message's metadata.</param>
/// <param name="DueAt">When the message is due: first delivery, or the next attempt after a failure.</param>
/// <param name="FailureCount">How many attempts failed so far.</param>
/// <param name="LastError">The error of the last failed attempt, if any.</param>
/// <param name="Revision">The optimistic revision: 0 when enqueued, one more on each reschedule.</param>
/// <param name="EnqueuedAt">When it was enqueued, from the store's clock.</param>
public sealed record QueueMessage(
    string Queue,
    Guid MessageId,
    string Type,
    ReadOnlyMemory<byte> Data,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset DueAt,
    int FailureCount,
    string? LastError,
    long Revision,
    DateTimeOffset EnqueuedAt);
