using Annals.Storage;

namespace Annals.Deciders;

public sealed partial class TypedEventStore
{
    // Commits a decision's events, with a snapshot of the state after them (at revision) when one is due, and says
    // whether the snapshot was saved. mayBeResent: the events' ids derive from the command's id, so the store may find
    // them stored already and replay the append.
    private async Task<(AppendResult Append, bool Snapshotted)> CommitDecisionAsync<TState>(StreamState<TState> current, List<EventData> events, (string Type, byte[] Data)? snapshot, long revision, bool mayBeResent, CancellationToken cancellationToken)
    {
        var batch = new CommitBatch().Append(current.Stream, current.Expected, events);
        if (snapshot is not { } due)
        {
            return ((await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0], false);
        }

        if (!Store.Capabilities.AtomicEventsWithRecords)
        {
            return await CommitThenSnapshotAsync(batch, current.Stream, due, revision, cancellationToken).ConfigureAwait(false);
        }

        if (mayBeResent)
        {
            // A replayed append checks no expectation: on a stream that moved on past the state, the snapshot could land
            // at a revision the events never took, with a state that counts them twice. The condition holds only while
            // the stream still ends where the state was folded; a replay's snapshot then lies past that end, and is refused.
            if (await StreamEndAsync(current, cancellationToken).ConfigureAwait(false) is not { } end)
            {
                return ((await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0], false);
            }

            batch.RequireNoneAfter(EventFilter.ForStreams(current.Stream), end);
        }

        batch.SaveSnapshot(current.Stream, revision, due.Type, due.Data);
        try
        {
            return ((await Store.CommitAsync(batch, cancellationToken).ConfigureAwait(false)).Appends[0], true);
        }
        catch (SnapshotConflictException)
        {
            // Past the stream's end (a replay appends nothing), or not after a snapshot stored meanwhile: only an
            // optimisation is lost, so the events go alone.
            var alone = new CommitBatch().Append(current.Stream, current.Expected, events);
            return ((await Store.CommitAsync(alone, cancellationToken).ConfigureAwait(false)).Appends[0], false);
        }
    }

    // On a store that commits events and records apart (see StoreCapabilities): the events first, then the snapshot
    // alone, and only when the events took the revisions the state was folded up to; a replay (stored earlier, at other
    // revisions) or a snapshot stored meanwhile loses only the optimisation.
    private async Task<(AppendResult Append, bool Snapshotted)> CommitThenSnapshotAsync(CommitBatch events, StreamName stream, (string Type, byte[] Data) snapshot, long revision, CancellationToken cancellationToken)
    {
        var append = (await Store.CommitAsync(events, cancellationToken).ConfigureAwait(false)).Appends[0];
        if (append.LastRevision != revision)
        {
            return (append, false);
        }

        try
        {
            await Store.CommitAsync(new CommitBatch().SaveSnapshot(stream, revision, snapshot.Type, snapshot.Data), cancellationToken).ConfigureAwait(false);
            return (append, true);
        }
        catch (SnapshotConflictException)
        {
            return (append, false);
        }
    }

    // The position of the stream's last stored event (0 for a stream with none) while the stream still ends at the
    // state's revision; null when it has moved on or been deleted since.
    private async Task<long?> StreamEndAsync<TState>(StreamState<TState> current, CancellationToken cancellationToken)
    {
        var info = await Store.GetStreamInfoAsync(current.Stream, cancellationToken).ConfigureAwait(false);
        if (info is null)
        {
            return current.Revision is null ? 0 : null;
        }

        return info.LastRevision == current.Revision ? info.LastPosition : null;
    }
}
