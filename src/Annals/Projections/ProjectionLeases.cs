using Annals.Leases;

namespace Annals.Projections;

/// <summary>The leases projections hold: their names, and how they are given up.</summary>
internal static class ProjectionLeases
{
    /// <summary>The prefix of the leases that projections, their partitions and their group members hold.</summary>
    public const string Prefix = "projection:";

    /// <summary>
    /// Releases a lease so another process may take over at once instead of waiting for it to lapse; waits at most a
    /// third of its duration, and leaves it to lapse when the store cannot be reached.
    /// </summary>
    public static async Task ReleaseOrLetLapseAsync(ILeaseManager leases, Lease lease, TimeSpan leaseDuration, TimeProvider time)
    {
        try
        {
            using var patience = new CancellationTokenSource(leaseDuration / 3, time);
            await leases.ReleaseAsync(lease, patience.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AnnalsException or OperationCanceledException)
        {
            // It lapses on its own.
        }
    }
}
