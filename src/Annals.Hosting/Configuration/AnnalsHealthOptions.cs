namespace Annals.Hosting;

/// <summary>What the health checks of a hosted store call healthy.</summary>
public sealed class AnnalsHealthOptions
{
    /// <summary>How far a live projection may lag behind the log (the age of the oldest event it has not handled) and still be healthy; beyond it, it is degraded.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan MaxProjectionLag { get; set; } = TimeSpan.FromSeconds(30);
}
