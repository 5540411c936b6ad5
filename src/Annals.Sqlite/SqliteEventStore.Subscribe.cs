using System.Runtime.CompilerServices;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> SubscribeCore(long afterPosition, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _disposed) != 0)
            {
                yield break;
            }

            // Taken before the read: a commit that lands after the read completes this signal.
            var nextAppend = NextAppend();
            List<RecordedEvent> page;
            bool atEnd;
            try
            {
                (page, scanned, atEnd) = await ReadLogPageAsync(scanned, filter, EventStoreLimits.ReadPageSize, cancellationToken).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            foreach (var e in page)
            {
                yield return e;
            }

            if (atEnd && page.Count == 0)
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
