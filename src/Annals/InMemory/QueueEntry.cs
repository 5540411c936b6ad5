using Annals.Storage;

namespace Annals.InMemory;

/// <summary>A queued message and the sequence that breaks ties of due time in enqueue order.</summary>
internal sealed record QueueEntry(QueueMessage Message, long Sequence);
