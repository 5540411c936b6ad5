namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    /// <inheritdoc />
    protected override Task? NextAppendSignal() => _appended.IsClosed ? null : _appended.Next;

    /// <inheritdoc />
    protected override Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken) =>
        nextAppend.WaitAsync(cancellationToken);
}
