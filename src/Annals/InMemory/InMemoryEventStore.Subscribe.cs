using System.Runtime.CompilerServices;

namespace Annals.InMemory;

public sealed partial class InMemoryEventStore
{
    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> SubscribeCore(long afterPosition, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (page, scannedTo, atEnd, nextAppend) = ReadLogPage(scanned, filter, EventStoreLimits.ReadPageSize, throwIfDisposed: false);
            if (nextAppend is null)
            {
                yield break;
            }

            foreach (var e in page)
            {
                yield return e;
            }

            scanned = scannedTo;
            if (atEnd && page.Count == 0)
            {
                await nextAppend.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }
        }
    }
}
