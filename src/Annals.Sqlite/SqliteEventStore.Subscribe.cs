using System.Runtime.CompilerServices;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> SubscribeCore(long afterPosition, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        var size = new LogPageSizer();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _disposed) != 0)
            {
                yield break;
            }

            // Taken before the read: a commit that lands after the read completes this signal.
            var nextAppend = NextAppend();
            LogPage page;
            try
            {
                page = await ReadLogPageAsync(scanned, filter, size.Next, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            size.Saw(page.Events);
            scanned = page.ScannedTo;
            foreach (var e in page.Events)
            {
                yield return e;
            }

            if (page.AtEnd && page.Events.Count == 0)
            {
                await WaitForAppendAsync(nextAppend, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken)
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
