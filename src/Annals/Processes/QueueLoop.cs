using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Processes;

/// <summary>
/// Reads a queue's due messages and hands each to a handler, in due order; then waits until this process says there is
/// work, or the poll interval passes on the process's clock (work from other processes, timeouts coming due).
/// <paramref name="settle"/>, when given, runs after each page's messages are handled, before the next read: what the
/// handler left running (the removals of delivered messages) must be done before the page is read again.
/// </summary>
/// <paramref name="ready"/>, when given, is asked before due messages are handled: while it says no, they wait for the next
/// wake or poll.
internal sealed class QueueLoop(IEventStore store, string queue, TimeProvider time, TimeSpan pollInterval, Func<QueueMessage, CancellationToken, Task> handle, Func<Task>? settle = null, Func<CancellationToken, Task<bool>>? ready = null)
{
    private const int PageSize = 64;

    private readonly Pulse _work = new();

    public void Wake() => _work.Fire();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var woken = _work.Next;
            var due = await store.ReadDueMessagesAsync(queue, time.GetUtcNow(), PageSize, cancellationToken).ConfigureAwait(false);
            if (due.Count > 0 && ready is not null && !await ready(cancellationToken).ConfigureAwait(false))
            {
                due = [];
            }

            try
            {
                foreach (var message in due)
                {
                    await handle(message, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (settle is not null)
                {
                    await settle().ConfigureAwait(false);
                }
            }

            if (due.Count == PageSize)
            {
                continue;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var polled = Task.Delay(pollInterval, time, wait.Token);
            await Task.WhenAny(woken, polled).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            await polled.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
