using Annals.Storage;

namespace Annals.Projections;

/// <summary>
/// A projection's handler: it receives the events of its filter in batches, in log order, and keeps a read model current.
/// </summary>
/// <remarks>
/// <para>
/// What the handler adds to <see cref="ProjectionBatch.Commit"/> (durable state, SQL work on the store's own database)
/// commits in one transaction with the projection's checkpoint: such effects happen exactly once, even when the process
/// dies mid-batch. On a store that commits records apart from each other (see <see cref="StoreCapabilities"/>), such as
/// NATS JetStream before 2.12, they commit one by one before the checkpoint, and are at least once like the rest.
/// Effects outside the store (a message sent, another database written) are at least once: after a crash
/// the batch since the last checkpoint is delivered again, so make them idempotent, for instance by keeping the last
/// <see cref="RecordedEvent.Position"/> applied beside the effect and skipping events at or below it.
/// </para>
/// <para>A handler that throws has its batch retried with back-off; nothing it added to the commit is kept.</para>
/// </remarks>
public interface IProjection
{
    /// <summary>Handles a batch of events.</summary>
    /// <param name="batch">The events, and the commit that saves the checkpoint.</param>
    /// <param name="cancellationToken">Cancelled when the projection stops, pauses, rebuilds or loses its lease.</param>
    /// <returns>A task that completes when the batch is handled.</returns>
    ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Clears the read model before a rebuild replays every event: add to <paramref name="commit"/> what removes it
    /// (SQL work, deleted states); it commits with the checkpoint's reset. Does nothing by default.
    /// </summary>
    /// <param name="commit">The commit that resets the checkpoint.</param>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <returns>A task that completes when the reset is prepared.</returns>
    ValueTask ResetAsync(CommitBatch commit, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
