using Annals.Leases;

namespace Annals.Projections;

/// <summary>How a projection host shares its projections with other processes.</summary>
public sealed class ProjectionHostOptions
{
    /// <summary>
    /// The leases that give each projection one owner across processes; <see langword="null"/> runs every projection in
    /// this process without a lease (the SQLite store, whose file one process owns, or a single process).
    /// </summary>
    public ILeaseManager? Leases { get; init; }

    /// <summary>
    /// How long a projection's lease lives unless renewed: when its owner dies, another process takes the projection over
    /// within about this time. Renewed every third of it. Default 10 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This process's name as a lease owner; unique per running host. Default machine, process id and a random suffix.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    /// <summary>How often a running projection looks for parked events whose replay was requested. Default 1 s.</summary>
    public TimeSpan ParkedCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(LeaseDuration, TimeSpan.FromMilliseconds(30), nameof(LeaseDuration));
        ArgumentException.ThrowIfNullOrWhiteSpace(Owner, nameof(Owner));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ParkedCheckInterval, TimeSpan.Zero, nameof(ParkedCheckInterval));
    }
}
