using Annals.Storage;

namespace Annals.InMemory;

public sealed partial class InMemoryEventStore : IStoreCatalogueReader
{
    /// <inheritdoc />
    public ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ThrowIfDisposed();
            return ValueTask.FromResult(new StoreCatalogue
            {
                Backend = "in-memory",
                Location = "memory",
                Streams = _streams.Values.Count(s => s.CurrentRevision is not null),
                Events = _streams.Values.Sum(s => (long)s.Events.Count),
                HeadPosition = _log.Count,
                Snapshots = _snapshots.Count,
                States = _states.Count,
                Checkpoints = _checkpoints.Count,
                QueueMessages = _queues.Values.Sum(q => (long)q.Count),
            });
        }
    }
}
