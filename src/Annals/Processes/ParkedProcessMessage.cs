namespace Annals.Processes;

/// <summary>A command or timeout of a process, parked after its last attempt; it waits to be replayed.</summary>
/// <param name="Process">The process.</param>
/// <param name="Kind">A command or a timeout.</param>
/// <param name="MessageId">Its id, the same on every delivery.</param>
/// <param name="Type">Its type name.</param>
/// <param name="Instance">The instance that sent or scheduled it.</param>
/// <param name="Target">A command's target stream; <see langword="null"/> for a timeout.</param>
/// <param name="Timeout">A timeout's name; <see langword="null"/> for a command.</param>
/// <param name="Failures">How many attempts failed.</param>
/// <param name="Error">The last attempt's error.</param>
/// <param name="EnqueuedAt">When its step was stored.</param>
public sealed record ParkedProcessMessage(string Process, ProcessMessageKind Kind, Guid MessageId, string Type, string Instance, string? Target, string? Timeout, int Failures, string? Error, DateTimeOffset EnqueuedAt);
