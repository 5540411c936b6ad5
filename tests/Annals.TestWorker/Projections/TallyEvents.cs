using System.Globalization;
using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.TestWorker.Projections;

/// <summary>Writes the events the tally counts: a few to each of several random streams per commit.</summary>
public static class TallyEvents
{
    /// <summary>How many streams the events go to.</summary>
    public const int Streams = 20;

    /// <summary>Appends events, at most five per stream and four streams per commit, to random streams.</summary>
    /// <param name="store">The store.</param>
    /// <param name="random">Picks the streams and counts.</param>
    /// <param name="count">How many events in all.</param>
    /// <param name="cancellationToken">Cancels between commits.</param>
    /// <returns>The position of the last event appended.</returns>
    public static async Task<long> AppendAsync(IEventWriter store, Random random, int count, CancellationToken cancellationToken = default)
    {
        long last = 0;
        while (count > 0)
        {
            var batch = new CommitBatch();
            foreach (var stream in Enumerable.Range(0, Streams).OrderBy(_ => random.Next()).Take(random.Next(1, 5)))
            {
                var events = Math.Min(count, random.Next(1, 6));
                if (events == 0)
                {
                    break;
                }

                batch.Append(Stream(stream), ExpectedRevision.Any, Enumerable.Range(0, events).Select(_ => NewEvent()));
                count -= events;
            }

            var result = await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
            last = result.LastPosition ?? last;
        }

        return last;
    }

    /// <summary>Appends one to three events, then waits, again and again until cancelled.</summary>
    /// <param name="store">The store.</param>
    /// <param name="random">Picks the streams and counts.</param>
    /// <param name="every">How long to wait after each commit.</param>
    /// <param name="cancellationToken">Ends the appending; the task then completes without an error.</param>
    /// <returns>A task that completes once cancelled.</returns>
    public static async Task AppendEveryAsync(IEventWriter store, Random random, TimeSpan every, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await AppendAsync(store, random, random.Next(1, 4), cancellationToken).ConfigureAwait(false);
                await Task.Delay(every, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling is how the caller says it has enough: whatever was appended stays.
        }
    }

    private static StreamName Stream(int index) => StreamName.For("tally", index.ToString("D2", CultureInfo.InvariantCulture));

    private static EventData NewEvent() => new(Guid.NewGuid(), "Counted", Encoding.UTF8.GetBytes("{}"));
}
