namespace Annals.Processes;

/// <summary>What a command or timeout carries of its cause: the correlation it belongs to and the message that caused it.</summary>
/// <param name="CorrelationId">The correlation.</param>
/// <param name="CausationId">The event or timeout that caused it.</param>
internal readonly record struct MessageLinks(string CorrelationId, string CausationId);
