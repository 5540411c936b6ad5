using Annals.Storage;

namespace Annals.Postgres.Tests;

/// <summary>Passes commits to a store and counts those that failed because the server could not be reached.</summary>
public sealed class CountingWriter(IEventWriter store) : IEventWriter
{
    private int _unavailable;

    public int Unavailable => Volatile.Read(ref _unavailable);

    public async ValueTask<CommitResult> CommitAsync(CommitBatch batch, CancellationToken cancellationToken = default)
    {
        try
        {
            return await store.CommitAsync(batch, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            Interlocked.Increment(ref _unavailable);
            throw;
        }
    }
}
