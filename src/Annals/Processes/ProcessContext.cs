using Annals.Storage;

namespace Annals.Processes;

/// <summary>What a step is handling: the instance, the time on the process's clock, and the event or the timeout.</summary>
/// <param name="Process">The process's name.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="Now">The time now, on the process's <see cref="TimeProvider"/>: schedule timeouts from it.</param>
/// <param name="Event">The event being handled, or <see langword="null"/> for a timeout.</param>
/// <param name="Timeout">The name of the timeout being handled, or <see langword="null"/> for an event.</param>
public sealed record ProcessContext(string Process, string InstanceId, DateTimeOffset Now, RecordedEvent? Event, string? Timeout)
{
    /// <summary>Whether the instance did not exist before this step.</summary>
    public bool IsNew { get; init; }
}
