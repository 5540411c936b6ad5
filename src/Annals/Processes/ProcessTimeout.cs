namespace Annals.Processes;

/// <summary>A timeout a step schedules: handed back to the same instance at or after its due time, unless cancelled or the instance ended.</summary>
/// <param name="Name">Its name within the instance: scheduling a name again replaces the pending one.</param>
/// <param name="DueAt">When it is due, on the process's clock.</param>
/// <param name="Payload">What the step gets back; its type must be registered in the type registry.</param>
public sealed record ProcessTimeout(string Name, DateTimeOffset DueAt, object Payload);
