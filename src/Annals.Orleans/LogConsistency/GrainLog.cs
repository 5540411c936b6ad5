using System.Runtime.CompilerServices;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Orleans.LogConsistency;

/// <summary>
/// One journaled grain's stream in an Annals store: its events encoded and decoded through the codec, its snapshot, and
/// the commits that write them. It knows nothing of Orleans; the adaptor decides when to read and write.
/// </summary>
/// <typeparam name="TView">The grain's state.</typeparam>
/// <typeparam name="TEntry">The grain's event type.</typeparam>
internal sealed class GrainLog<TView, TEntry>(StreamName stream, IEventStore store, EventCodec codec)
    where TView : class
    where TEntry : class
{
    public StreamName Stream => stream;

    /// <summary>Makes the stored form of a raised event, with the id every attempt to append it will send.</summary>
    public EventData Encode(TEntry entry, Guid eventId) => codec.Encode(entry, eventId);

    /// <summary>The stored form of a state for a snapshot.</summary>
    public (string Type, byte[] Data) EncodeState(TView state) => codec.EncodeState(state);

    /// <summary>
    /// The stored snapshot as a state, or <see langword="null"/> when there is none or it cannot be used (another type or
    /// schema version, unreadable data: the events still hold everything).
    /// </summary>
    public async Task<(TView State, long Revision)?> ReadSnapshotAsync(Action<Snapshot, string> skipped, CancellationToken cancellationToken = default)
    {
        if (!codec.Registry.IsRegistered(typeof(TView)) || await store.ReadSnapshotAsync(stream, cancellationToken) is not { } snapshot)
        {
            return null;
        }

        if (codec.TryDecodeState<TView>(snapshot.Type, snapshot.Data, out var state, out var skippedBecause))
        {
            return (state, snapshot.Revision);
        }

        skipped(snapshot, skippedBecause);
        return null;
    }

    /// <summary>
    /// The events from a revision on, each with what it decodes to: usually one entry, several when an upcaster splits it.
    /// Every object in the list is a <typeparamref name="TEntry"/>: the list is the codec's, checked rather than copied.
    /// </summary>
    /// <exception cref="EventDecodingException">An event cannot be read as a <typeparamref name="TEntry"/>.</exception>
    public async IAsyncEnumerable<(RecordedEvent Record, IReadOnlyList<object> Entries)> ReadAsync(long fromRevision, int maxCount = int.MaxValue, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // No ConfigureAwait(false) here or anywhere in the adaptor: it runs on its grain's scheduler and must stay there.
        await foreach (var record in store.ReadStreamAsync(stream, fromRevision, maxCount, cancellationToken))
        {
            yield return (record, Decode(record));
        }
    }

    /// <summary>What the store knows of the stream, or <see langword="null"/> when it does not exist.</summary>
    public ValueTask<StreamInfo?> InfoAsync(CancellationToken cancellationToken = default) => store.GetStreamInfoAsync(stream, cancellationToken);

    /// <summary>
    /// Appends events at an expected revision, with a snapshot of the state after them when one is given: in the same
    /// commit where the store can, else after the events, and only when they took the revisions the state was folded to.
    /// A snapshot that cannot be saved is only an optimisation lost, and is reported to <paramref name="snapshotNotSaved"/>.
    /// </summary>
    public async Task<AppendResult> AppendAsync(ExpectedRevision expected, IReadOnlyList<EventData> events, (string Type, byte[] Data)? snapshot, long snapshotRevision, Action<Exception> snapshotNotSaved)
    {
        var batch = new CommitBatch().Append(stream, expected, events);
        if (snapshot is not { } due)
        {
            return (await store.CommitAsync(batch)).Appends[0];
        }

        if (!store.Capabilities.AtomicEventsWithRecords)
        {
            var append = (await store.CommitAsync(batch)).Appends[0];
            if (append.LastRevision == snapshotRevision)
            {
                try
                {
                    await store.CommitAsync(new CommitBatch().SaveSnapshot(stream, snapshotRevision, due.Type, due.Data));
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The events are stored: whatever befell the snapshot, the append succeeded.
                    snapshotNotSaved(e);
                }
            }

            return append;
        }

        batch.SaveSnapshot(stream, snapshotRevision, due.Type, due.Data);
        try
        {
            return (await store.CommitAsync(batch)).Appends[0];
        }
        catch (SnapshotConflictException e)
        {
            // A newer snapshot was saved meanwhile (by a duplicate activation): the events go alone, and meet their own
            // expectation or fail it as they would have.
            snapshotNotSaved(e);
            return (await store.CommitAsync(new CommitBatch().Append(stream, expected, events))).Appends[0];
        }
    }

    private IReadOnlyList<object> Decode(RecordedEvent record)
    {
        var objects = codec.Decode(record);
        foreach (var o in objects)
        {
            if (o is not TEntry)
            {
                throw new EventDecodingException(record, $"it decodes to {o.GetType().FullName}, which is not a {typeof(TEntry).FullName}, the grain's event type.");
            }
        }

        return objects;
    }
}
