using Annals.Projections;

namespace Annals.Hosting.Tests;

/// <summary>Counts the events it handles.</summary>
public sealed class CountingProjection : IProjection
{
    private long _handled;

    public long Handled => Interlocked.Read(ref _handled);

    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _handled, batch.Events.Count);
        return ValueTask.CompletedTask;
    }
}
