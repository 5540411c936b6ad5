namespace Annals.Hosting;

/// <summary>How a hosted store's projection host shares its projections with other processes.</summary>
public sealed class AnnalsProjectionOptions
{
    /// <summary>
    /// Whether each projection runs in one process at a time, under a lease held in the store. Only PostgreSQL is shared
    /// by processes, so <see langword="null"/> means leases on PostgreSQL and none elsewhere.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public bool? UseLeases { get; set; }

    /// <summary>How long a projection's lease lives unless renewed: when its owner dies, another process takes the projection over within about this time.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);
}
