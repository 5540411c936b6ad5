using Annals.Storage;

namespace Annals.Processes;

/// <summary>One delivery of a process's command to an application handler: what the handler needs to de-duplicate and trace it.</summary>
/// <param name="MessageId">The command's id, the same on every delivery of it: the handler's key to do its work once.</param>
/// <param name="Target">The stream the command is for.</param>
/// <param name="CorrelationId">The correlation the command belongs to.</param>
/// <param name="CausationId">The event or timeout that caused it.</param>
/// <param name="Attempt">1 for the first delivery, more after failures.</param>
public sealed record CommandDelivery(Guid MessageId, StreamName Target, string CorrelationId, string CausationId, int Attempt);
