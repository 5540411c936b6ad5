using Annals.Storage;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Tests of atomicity on a store that may commit less than a whole batch atomically (see
/// <see cref="StoreCapabilities"/>): on such a store they check that a wide batch is refused whole instead. Batches
/// that only set a test up commit with <see cref="CommitInPartsExtensions.CommitWholeOrInPartsAsync"/>.
/// </summary>
public static class Seeding
{
    /// <summary>
    /// Commits a batch that must fail whole with <typeparamref name="TException"/>; on a store that cannot commit it
    /// atomically, checks instead that it is refused whole (see <see cref="RefusedAsNotAtomicAsync"/>).
    /// </summary>
    /// <typeparam name="TException">The error the batch fails with on a store that commits it atomically.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="batch">The batch.</param>
    /// <returns>The error, or <see langword="null"/> when the store refused the batch as wider than it commits atomically.</returns>
    public static async Task<TException?> CommitFailsAsync<TException>(this IEventStore store, CommitBatch batch)
        where TException : Exception
    {
        if (await store.RefusedAsNotAtomicAsync(batch).ConfigureAwait(false))
        {
            return null;
        }

        return await Assert.ThrowsAsync<TException>(() => store.CommitAsync(batch).AsTask()).ConfigureAwait(false);
    }

    /// <summary>
    /// On a store that cannot commit the batch atomically: checks that it refuses it with
    /// <see cref="BatchNotAtomicException"/> and stores nothing of it, and returns <see langword="true"/>. On a store that
    /// can, returns <see langword="false"/>, and the test goes on to check the atomic commit itself.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="batch">The batch the test commits whole.</param>
    /// <returns>Whether the store refused the batch (and the test has nothing more to check).</returns>
    public static async Task<bool> RefusedAsNotAtomicAsync(this IEventStore store, CommitBatch batch)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batch);
        if (store.Capabilities.CanCommit(batch))
        {
            return false;
        }

        var head = await store.GetHeadPositionAsync().ConfigureAwait(false);
        var error = await Assert.ThrowsAsync<BatchNotAtomicException>(() => store.CommitAsync(batch).AsTask()).ConfigureAwait(false);
        Assert.False(string.IsNullOrEmpty(error.Reason));
        Assert.Equal(head, await store.GetHeadPositionAsync().ConfigureAwait(false));
        return true;
    }
}
