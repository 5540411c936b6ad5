using Annals.Deciders;
using Annals.Storage;

namespace Annals.Orleans.LogConsistency;

internal sealed partial class AnnalsLogViewAdaptor<TView, TEntry>
{
    // Set when an append failed without a known outcome, until one succeeds: the next attempt may be a replay of it,
    // and carries no snapshot (only an optimisation) so that nothing rides on where a replay's events landed.
    private bool _outcomeUnknown;

    /// <summary>
    /// Appends the queued events at the revision the confirmed view was folded to, and returns how many of them are
    /// now confirmed: all on success; on a conflict or a failure, as many as the stream shows stored (a lost outcome
    /// that succeeded), else 0, and Orleans calls again with the view caught up.
    /// </summary>
    protected override async Task<int> WriteAsync()
    {
        var updates = GetCurrentBatchOfUpdates();
        var before = _revision;
        var first = (before ?? -1) + 1;
        var last = first + updates.Length - 1;
        var events = Array.ConvertAll(updates, update => update.Event);

        var next = SnapshotDue(before, last) ? Folded(updates) : null;
        var snapshot = next is null ? null : TryEncodeSnapshot(next, last);
        try
        {
            var append = await _log.AppendAsync(ExpectedRevision.From(before), events, snapshot, last, e => LogConsistencyLog.SnapshotNotSaved(_logger, _log.Stream, last, e));
            _outcomeUnknown = false;
            LastPrimaryIssue.Resolve(Host, Services);
            if (append.FirstRevision == first)
            {
                if (next is not null)
                {
                    _view = next;
                }
                else
                {
                    foreach (var update in updates)
                    {
                        Apply(_view, update.Entry!);
                    }
                }

                _revision = append.LastRevision;
                return updates.Length;
            }

            // Stored, but at other revisions than the view expects (a replay of an attempt made before the view moved):
            // the stream, read below, says where.
        }
        catch (WrongExpectedRevisionException)
        {
            // Another activation of the grain appended first. Not a connection issue: the store answered.
            LogConsistencyLog.WriteConflict(_logger, _log.Stream, ExpectedRevision.From(before).ToString());
            LastPrimaryIssue.Resolve(Host, Services);
            return await ConfirmedByStreamAsync(updates, resolvesIssue: true);
        }
        catch (Exception e) when (!StoreFaults.IsPermanent(e))
        {
            _outcomeUnknown = true;
            LastPrimaryIssue.Record(new AnnalsLogWriteFailed { Exception = e }, Host, Services);
            LogConsistencyLog.WriteFailed(_logger, _log.Stream, updates.Length, e);
            await DelayBeforeRetryAsync();
            return await ConfirmedByStreamAsync(updates, resolvesIssue: false);
        }

        return await ConfirmedByStreamAsync(updates, resolvesIssue: true);
    }

    // Catches the view up with the stream and counts the queued events it found there, in order from the first: those
    // an attempt stored though its outcome was lost (or that a replay put at other revisions) are confirmed, not sent again.
    private async Task<int> ConfirmedByStreamAsync(AnnalsSubmissionEntry<TEntry>[] updates, bool resolvesIssue)
    {
        var folded = new List<Guid>();
        await ReadUntilDoneAsync(folded, resolvesIssue);
        var start = folded.IndexOf(updates[0].Event.EventId);
        if (start < 0)
        {
            return 0;
        }

        var found = 0;
        while (found < updates.Length && start + found < folded.Count && folded[start + found] == updates[found].Event.EventId)
        {
            found++;
        }

        // The lost outcome is known now: the append had succeeded.
        _outcomeUnknown = false;
        LastPrimaryIssue.Resolve(Host, Services);
        LogConsistencyLog.FoundStored(_logger, _log.Stream, found);
        return found;
    }

    private bool SnapshotDue(long? before, long last) =>
        _snapshotEvery > 0 && !_outcomeUnknown && SnapshotSchedule.PassesMultiple(_snapshotEvery, before, last);

    // The confirmed view with the queued events applied, on a copy: the view changes only once they are stored.
    private TView Folded(AnnalsSubmissionEntry<TEntry>[] updates)
    {
        var view = Services.DeepCopy(_view);
        foreach (var update in updates)
        {
            Apply(view, update.Entry!);
        }

        return view;
    }

    private (string Type, byte[] Data)? TryEncodeSnapshot(TView view, long revision)
    {
        try
        {
            return _log.EncodeState(view);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConsistencyLog.SnapshotNotSaved(_logger, _log.Stream, revision, e);
            return null;
        }
    }
}
