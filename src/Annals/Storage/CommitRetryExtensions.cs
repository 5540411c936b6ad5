namespace Annals.Storage;

/// <summary>Commits that ride out a short loss of the storage, such as a database server restart.</summary>
public static class CommitRetryExtensions
{
    /// <summary>
    /// Commits a batch, and commits the same batch again, after a back-off, each time the store
    /// reports <see cref="StoreUnavailableException"/>, up to <see cref="CommitRetryOptions.MaxAttempts"/>
    /// attempts. Every other error is thrown at once.
    /// </summary>
    /// <remarks>
    /// <para>
    /// An attempt that failed with <see cref="StoreUnavailableException"/> may still have been
    /// committed: the connection can break after the commit but before its acknowledgement. A retry
    /// never stores an event twice, because event ids make appends idempotent: the retry commits the
    /// same <see cref="EventData"/>, with the same ids, and a re-commit of events already stored in
    /// that stream, in that order, stores nothing and returns the original result (the expectation
    /// is not checked again). Make the events once, before the call, not inside a retry loop of your own.
    /// </para>
    /// <para>
    /// Operations other than appends carry their own optimistic checks (state versions, checkpoint
    /// positions, queue message revisions) and are not replayed: when the lost attempt did take
    /// effect, the retry of a batch holding them fails with the matching
    /// <see cref="ConcurrencyException"/>, and the caller should read back what is stored.
    /// </para>
    /// </remarks>
    /// <param name="writer">The store.</param>
    /// <param name="batch">The operations; the same batch is committed on every attempt.</param>
    /// <param name="options">How often and how long to retry; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the commit if it has not started, and the wait between attempts.</param>
    /// <returns>Where the batch's events were stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="batch"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="StoreUnavailableException">The last attempt's error, when every attempt failed with it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static ValueTask<CommitResult> CommitWithRetryAsync(this IEventWriter writer, CommitBatch batch, CommitRetryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(batch);
        options ??= new CommitRetryOptions();
        options.Validate();
        return CommitWithRetryCoreAsync(writer, batch, options, cancellationToken);
    }

    private static async ValueTask<CommitResult> CommitWithRetryCoreAsync(IEventWriter writer, CommitBatch batch, CommitRetryOptions options, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await writer.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException) when (attempt < options.MaxAttempts)
            {
                // Retried below, after the back-off; the last attempt's error propagates as it is.
            }

            await Task.Delay(options.DelayBefore(attempt, Random.Shared), options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
