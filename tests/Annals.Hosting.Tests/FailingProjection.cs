using Annals.Projections;

namespace Annals.Hosting.Tests;

/// <summary>Fails every batch.</summary>
public sealed class FailingProjection : IProjection
{
    public const string Message = "the read model refuses this event";

    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Message);
}
