namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    protected override Task? NextAppendSignal() => Volatile.Read(ref _disposed) != 0 ? null : _appended.Next;

    /// <inheritdoc />
    protected override async Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            await nextAppend.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // Another process owns the file and cannot wake this one: poll.
        try
        {
            await Task.Delay(_options.PollInterval, _options.TimeProvider, _disposing.Token).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The store is being disposed; the loop ends the subscription.
        }
    }
}
