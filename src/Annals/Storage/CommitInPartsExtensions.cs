namespace Annals.Storage;

/// <summary>
/// Commits a batch whole on a store that can, and in parts it can commit on one that cannot (see
/// <see cref="StoreCapabilities"/>): for writers that want a batch's effects but can live without its atomicity.
/// </summary>
public static class CommitInPartsExtensions
{
    /// <summary>
    /// Commits a batch whole when the store can (<see cref="StoreCapabilities.CanCommit"/>); otherwise commits it in
    /// parts, one after the other and in the batch's order: each stream's operations together (the batch's append
    /// conditions with the first of them), then each record alone, where it stood. The parts are not atomic together:
    /// when one fails, the parts before it stay committed, and the error is the failing part's.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the parts not yet sent.</param>
    /// <returns>The result, with the appends in the batch's order.</returns>
    public static async ValueTask<CommitResult> CommitWholeOrInPartsAsync(this IEventStore store, CommitBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batch);
        if (store.Capabilities.CanCommit(batch))
        {
            return await store.CommitAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        var appends = new SortedList<int, AppendResult>();
        foreach (var (part, indexes) in Split(batch))
        {
            var result = await store.CommitAsync(part, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < indexes.Count; i++)
            {
                appends[indexes[i]] = result.Appends[i];
            }
        }

        return new CommitResult([.. appends.Values]);
    }

    private static List<(CommitBatch Batch, List<int> Appends)> Split(CommitBatch batch)
    {
        var parts = new List<(CommitBatch Batch, List<int> Appends)>();
        var byStream = new Dictionary<StreamName, int>();
        var conditions = batch.Operations.OfType<AppendConditionOperation>().ToList();
        for (var i = 0; i < batch.Operations.Count; i++)
        {
            var operation = batch.Operations[i];
            StreamName? stream = operation switch
            {
                AppendOperation a => a.Stream,
                TruncateStreamOperation t => t.Stream,
                DeleteStreamOperation d => d.Stream,
                _ => null,
            };
            if (operation is AppendConditionOperation)
            {
                continue;
            }

            if (stream is not { } s)
            {
                parts.Add((new CommitBatch().Add(operation), []));
                continue;
            }

            if (!byStream.TryGetValue(s, out var index))
            {
                index = parts.Count;
                byStream[s] = index;
                var part = new CommitBatch();
                if (byStream.Count == 1)
                {
                    conditions.ForEach(c => part.Add(c));
                }

                parts.Add((part, []));
            }

            parts[index].Batch.Add(operation);
            if (operation is AppendOperation)
            {
                parts[index].Appends.Add(i);
            }
        }

        if (byStream.Count == 0 && conditions.Count > 0)
        {
            // Conditions with records only: checked alone, before the records.
            var checks = new CommitBatch();
            conditions.ForEach(c => checks.Add(c));
            parts.Insert(0, (checks, []));
        }

        return parts;
    }
}
