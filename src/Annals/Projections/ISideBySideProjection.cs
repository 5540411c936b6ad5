using Annals.Storage;

namespace Annals.Projections;

/// <summary>
/// A projection that keeps one read model per generation, so that a rebuild fills the next generation from the start
/// of the log while the current one keeps serving, and readers switch when the new one has caught up.
/// </summary>
/// <remarks>
/// Write each batch into the read model of <see cref="ProjectionBatch.Generation"/> (tables named after it, say, made
/// if missing). Generation 0 is the first; <see cref="ProjectionHost.RebuildAsync"/> fills generation n + 1 beside n,
/// then, in one commit with the record of the switch, <see cref="ActivateAsync"/> points readers at it, and afterwards
/// <see cref="DropAsync"/> removes generation n.
/// </remarks>
public interface ISideBySideProjection : IProjection
{
    /// <summary>Points readers at a generation's read model; add the operations to <paramref name="commit"/>.</summary>
    /// <param name="generation">The generation that now serves.</param>
    /// <param name="commit">The commit that records the switch.</param>
    /// <param name="cancellationToken">Cancels the switch.</param>
    /// <returns>A task that completes when the operations are added.</returns>
    ValueTask ActivateAsync(long generation, CommitBatch commit, CancellationToken cancellationToken);

    /// <summary>Removes a generation's read model: a retired one, or the leftovers of a rebuild that did not finish.</summary>
    /// <param name="generation">The generation to remove.</param>
    /// <param name="commit">The commit that removes it.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when the operations are added.</returns>
    ValueTask DropAsync(long generation, CommitBatch commit, CancellationToken cancellationToken);
}
