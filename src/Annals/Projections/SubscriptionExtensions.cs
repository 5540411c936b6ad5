using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Projections;

/// <summary>Subscriptions for code that is not a projection: durable (named and checkpointed) and volatile (from now on).</summary>
public static class SubscriptionExtensions
{
    /// <summary>
    /// A durable subscription: the events of a filter after the subscription's checkpoint, then live ones. An event
    /// counts as processed once the next one is asked for; the checkpoint is saved when the subscription has caught up
    /// with what has arrived, and at least every <paramref name="checkpointEvery"/> events. After a restart, delivery
    /// resumes after the checkpoint, so an event may be delivered again (at least once), never skipped.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="name">The subscription's name, which names its checkpoint.</param>
    /// <param name="filter">Which events; all when <see langword="null"/>.</param>
    /// <param name="checkpointEvery">The most events processed between two checkpoint saves while catching up.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, in log order.</returns>
    /// <exception cref="CheckpointConflictException">Another subscriber of the same name moved the checkpoint.</exception>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    public static IAsyncEnumerable<RecordedEvent> SubscribeDurableAsync(this IEventStore store, string name, EventFilter? filter = null, int checkpointEvery = 1000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointEvery, 1);
        NameChecks.Consumer(name);
        return DurableAsync(store, name, filter, checkpointEvery, cancellationToken);
    }

    /// <summary>A volatile subscription: the events of a filter committed from now on; nothing is stored.</summary>
    /// <param name="store">The store.</param>
    /// <param name="filter">Which events; all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, in log order.</returns>
    public static IAsyncEnumerable<RecordedEvent> SubscribeFromNowAsync(this IEventStore store, EventFilter? filter = null, CancellationToken cancellationToken = default) =>
        SubscribeFromNowAsync(store, filter, null, cancellationToken);

    /// <summary>
    /// A volatile subscription, as <see cref="SubscribeFromNowAsync(IEventStore, EventFilter?, CancellationToken)"/>,
    /// that says when it listens: every commit made after <paramref name="onLive"/> is called is delivered.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="filter">Which events; all when <see langword="null"/>.</param>
    /// <param name="onLive">Called once when the subscription is live (see <see cref="IEventReader.SubscribeAsync(long, EventFilter?, Action?, CancellationToken)"/>); <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The events, in log order.</returns>
    public static IAsyncEnumerable<RecordedEvent> SubscribeFromNowAsync(this IEventStore store, EventFilter? filter, Action? onLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return FromNowAsync(store, filter, onLive, cancellationToken);
    }

    private static async IAsyncEnumerable<RecordedEvent> FromNowAsync(IEventStore store, EventFilter? filter, Action? onLive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var head = await store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var e in store.SubscribeAsync(head, filter, onLive, cancellationToken).ConfigureAwait(false))
        {
            yield return e;
        }
    }

    private static async IAsyncEnumerable<RecordedEvent> DurableAsync(IEventStore store, string name, EventFilter? filter, int checkpointEvery, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var saved = await store.ReadCheckpointAsync(name, cancellationToken).ConfigureAwait(false);
        var processed = saved ?? 0;
        var size = Math.Min(checkpointEvery, 1024);
        var options = new ProjectionOptions { Filter = filter, BatchSize = size, CatchUpBatchSize = size };
        await using var reader = new BatchReader(store, processed, options, TimeProvider.System, cancellationToken);
        var sinceSave = 0;
        while (true)
        {
            var batch = await reader.NextAsync(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                yield return batch[i];

                // Asked for the next one: this one is processed.
                processed = batch[i].Position;
                sinceSave++;
                if (sinceSave >= checkpointEvery || (i == batch.Count - 1 && !reader.HasMore))
                {
                    await store.CommitAsync(new CommitBatch().SaveCheckpoint(name, processed, saved), cancellationToken).ConfigureAwait(false);
                    saved = processed;
                    sinceSave = 0;
                }
            }
        }
    }
}
