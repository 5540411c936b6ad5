namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    /// <inheritdoc />
    protected override Task? NextAppendSignal()
    {
        lock (_lock)
        {
            return _disposed ? null : _appended.Task;
        }
    }

    /// <inheritdoc />
    protected override Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken) =>
        nextAppend.WaitAsync(cancellationToken);
}
