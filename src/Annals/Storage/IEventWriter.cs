namespace Annals.Storage;

/// <summary>Writes to a store: one atomic primitive, <see cref="CommitAsync"/>.</summary>
public interface IEventWriter
{
    /// <summary>
    /// Commits a batch: every operation takes effect, or none does. When the returned task
    /// completes, the batch is durable (unless the store was opened in a relaxed mode).
    /// </summary>
    /// <param name="batch">The operations.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started.</param>
    /// <returns>Where the batch's events were stored.</returns>
    /// <exception cref="InvalidBatchException">The batch is empty or changes something twice.</exception>
    /// <exception cref="EventTooLargeException">An event is larger than the store allows.</exception>
    /// <exception cref="DuplicateEventIdException">An event id is reused other than by an exact re-commit.</exception>
    /// <exception cref="ConcurrencyException">An expectation did not hold; the subtype names which.</exception>
    ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default);
}
