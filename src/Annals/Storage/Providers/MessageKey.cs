namespace Annals.Storage.Providers;

/// <summary>Names one queued message: its queue and its id, unique within the queue.</summary>
/// <param name="Queue">The queue's name.</param>
/// <param name="MessageId">The message's id.</param>
public readonly record struct MessageKey(string Queue, Guid MessageId);
