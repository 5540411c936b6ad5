using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// Follows a projection's committed checkpoint without asking the store: the handler tells it each batch's last
/// position, and <see cref="CheckpointCommits"/> tells it when that batch has been committed.
/// </summary>
internal sealed class CheckpointWatch(long target)
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _pending;

    /// <summary>Completes once a batch that ends at or past the target position has been committed with its checkpoint.</summary>
    public Task Reached => target <= 0 ? Task.CompletedTask : _reached.Task;

    /// <summary>The handler has been handed these events; their batch commits next.</summary>
    public void Handed(IReadOnlyList<RecordedEvent> events) => _pending = events[^1].Position;

    /// <summary>The batch last handed over has been committed with its checkpoint.</summary>
    public void Committed()
    {
        if (_pending >= target)
        {
            _reached.TrySetResult();
        }
    }
}
