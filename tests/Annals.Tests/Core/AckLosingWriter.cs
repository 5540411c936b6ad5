using Annals.Storage;

namespace Annals.Tests.Core;

/// <summary>
/// Wraps a store and loses the acknowledgement of its first commits: the batch is committed, then
/// the caller gets <see cref="StoreUnavailableException"/>, as when a connection breaks after COMMIT.
/// </summary>
internal sealed class AckLosingWriter(IEventWriter store, int lostAcknowledgements) : IEventWriter
{
    private int _commits;

    public int Commits => Volatile.Read(ref _commits);

    public async ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        var result = await store.CommitAsync(batch, cancellationToken);
        return Interlocked.Increment(ref _commits) <= lostAcknowledgements
            ? throw new StoreUnavailableException("the connection broke before the commit was acknowledged", null)
            : result;
    }
}
