using Annals.Projections;

namespace Annals.Samples.Bank.Endpoints;

/// <summary>Waits, for a bounded time, until a projection has handled the log up to a position.</summary>
public static class ProjectionWait
{
    public static async Task<bool> ReachedAsync(ProjectionHost projections, string projection, long position, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(wait);
        try
        {
            await projections.WaitForPositionAsync(projection, position, deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
