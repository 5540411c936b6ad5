namespace Annals.Processes;

/// <summary>Where an event goes: to which instance, and whether it may start one.</summary>
/// <param name="InstanceId">The instance (a stream id: no '.', '*', '>' or whitespace); <see langword="null"/> to ignore the event.</param>
/// <param name="MayStart">Whether the event starts the instance when it does not exist yet.</param>
public readonly record struct ProcessRoute(string? InstanceId, bool MayStart)
{
    /// <summary>The event concerns no instance.</summary>
    public static ProcessRoute Ignore => default;

    /// <summary>The event goes to an existing instance; for a missing one, <see cref="IProcess{TState}.OnNotFound"/> hears of it.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <returns>The route.</returns>
    public static ProcessRoute To(string instanceId) => new(instanceId, false);

    /// <summary>The event goes to an instance, which it starts when it does not exist yet.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <returns>The route.</returns>
    public static ProcessRoute Start(string instanceId) => new(instanceId, true);

    /// <summary>Whether the event is ignored.</summary>
    public bool IsIgnored => InstanceId is null;
}
