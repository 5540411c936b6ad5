using Annals.Projections;
using Annals.Storage;

namespace Annals.Hosting.Tests;

/// <summary>A projection that takes the open store in its constructor and reads it while handling its first batch.</summary>
public sealed class StoreReadingProjection(IEventStore store) : IProjection
{
    public long HeadSeen { get; private set; }

    public async ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken) =>
        HeadSeen = await store.GetHeadPositionAsync(cancellationToken);
}
