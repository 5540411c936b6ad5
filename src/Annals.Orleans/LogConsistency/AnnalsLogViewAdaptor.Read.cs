namespace Annals.Orleans.LogConsistency;

internal sealed partial class AnnalsLogViewAdaptor<TView, TEntry>
{
    /// <summary>Brings the confirmed view up to the stream: from its snapshot on activation, then the events after it. Retries until it succeeds.</summary>
    protected override Task ReadAsync() => ReadUntilDoneAsync(folded: null, resolvesIssue: true);

    // Catches up, retrying after each failure worth another attempt; a permanent one (an event that cannot be decoded)
    // ends the adaptor's work cycle, and whoever waits on it (the activation, ConfirmEvents) gets it. A read after a
    // failed append leaves that issue open (resolvesIssue false): only an append that succeeds resolves it, so that
    // appends failing again and again wait longer and longer between attempts.
    private async Task ReadUntilDoneAsync(List<Guid>? folded, bool resolvesIssue)
    {
        while (true)
        {
            try
            {
                await CatchUpAsync(folded);
                if (resolvesIssue)
                {
                    LastPrimaryIssue.Resolve(Host, Services);
                }

                return;
            }
            catch (Exception e) when (!StoreFaults.IsPermanent(e))
            {
                LastPrimaryIssue.Record(new AnnalsLogReadFailed { Exception = e }, Host, Services);
                LogConsistencyLog.ReadFailed(_logger, _log.Stream, LastPrimaryIssue.Issue!.RetryDelay, e);
            }

            await DelayBeforeRetryAsync();
        }
    }

    // Folds what the stream holds past the confirmed view, event by event, so that a read failing halfway keeps what it
    // folded; adds the ids of the folded events to 'folded' when given.
    private async Task CatchUpAsync(List<Guid>? folded)
    {
        if (!_recovered)
        {
            if (await _log.ReadSnapshotAsync(SnapshotSkipped) is { } snapshot)
            {
                _view = snapshot.State;
                _revision = snapshot.Revision;
            }

            _recovered = true;
        }

        await FoldFromAsync(folded);
        if (_revision is null && await _log.InfoAsync() is { } info)
        {
            // The stream exists after all: its first events were committed since the read, or every event was truncated
            // away with no snapshot to start from. Read again; if there is still nothing, append after its last revision.
            await FoldFromAsync(folded);
            _revision ??= info.LastRevision;
        }
    }

    private async Task FoldFromAsync(List<Guid>? folded)
    {
        await foreach (var (record, entries) in _log.ReadAsync((_revision ?? -1) + 1))
        {
            foreach (var entry in entries)
            {
                Apply(_view, (TEntry)entry);
            }

            _revision = record.Revision;
            folded?.Add(record.EventId);
        }
    }

    private void SnapshotSkipped(Annals.Storage.Snapshot snapshot, string reason) =>
        LogConsistencyLog.SnapshotSkipped(_logger, _log.Stream, snapshot.Revision, reason);
}
