using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    private async Task CommitGroupAsync(List<PendingCommit> group)
    {
        try
        {
            if (!await TryFastPathAsync(group).ConfigureAwait(false))
            {
                await CommitLoadedAsync(group).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // Not a failure the commit paths know: the connection's state is unknown, so it goes, and
            // the writer goes on with the next group rather than leave every later commit waiting.
            _cache.Clear();
            await DiscardConnectionAsync().ConfigureAwait(false);
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(e);
            }
        }
    }

    /// <summary>Tells a batch's caller its outcome: its result, its cancellation, or its error.</summary>
    private static void Complete(PendingCommit pending, object outcome) =>
        _ = outcome switch
        {
            CommitResult result => pending.Completion.TrySetResult(result),
            OperationCanceledException => pending.Completion.TrySetCanceled(pending.CancellationToken),
            var error => pending.Completion.TrySetException((Exception)error),
        };

    /// <summary>
    /// Commits a group the general way: takes the head lock, loads what the group needs, decides
    /// (running a batch's SQL work once the batch is decided), writes, commits. Handles every kind of
    /// operation, replays and conflicts exactly.
    /// </summary>
    private async Task CommitLoadedAsync(List<PendingCommit> group)
    {
        var outcomes = new object?[group.Count];
        var decided = 0;
        var retried = false;
        GroupState state;
        GroupPlan plan;
        string headVersion;
        while (true)
        {
            var kept = _connection is not null;
            var committing = false;
            var soleWorkRan = false;
            try
            {
                decided = 0;
                var connection = await ConnectAsync().ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                state = await LoadAsync(connection, transaction, group).ConfigureAwait(false);
                plan = new GroupPlan(state, _time.GetUtcNow());
                for (; decided < group.Count; decided++)
                {
                    // A condition must not count events this group removed but the database still holds.
                    if (plan.RemovedStoredEvents && group[decided].Operations.Any(o => o is AppendConditionOperation))
                    {
                        break;
                    }

                    var outcome = plan.Decide(group[decided].Operations);

                    // A replayed batch committed before, works and all: they do not run again.
                    if (outcome is CommitResult result && !plan.LastReplayed && HasSqlWork(group[decided].Operations))
                    {
                        if (group.Count == 1)
                        {
                            // Alone in its group, the batch needs no savepoint: a failing work rolls back the whole
                            // transaction, which holds nothing else. Two round trips fewer for a projection's commit.
                            if (await RunSoleSqlWorkAsync(connection, transaction, group[0]).ConfigureAwait(false) is { } failed)
                            {
                                Complete(group[0], failed);
                                return;
                            }

                            soleWorkRan = true;
                        }
                        else
                        {
                            outcome = await RunSqlWorkAsync(connection, transaction, plan, group[decided], result).ConfigureAwait(false);
                        }
                    }

                    outcomes[decided] = outcome;
                }

                // From here a lost connection leaves the outcome unknown: the writes and COMMIT go in one round trip.
                committing = true;
                try
                {
                    // Without the transaction object: a work may have ended the transaction, and the check below says so.
                    await using var batch = new NpgsqlBatch(connection);
                    if (soleWorkRan)
                    {
                        AddSoleWorkCheck(batch, state);
                    }

                    AddWrites(batch, plan, state);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                    headVersion = await ExecuteWritesAsync(batch).ConfigureAwait(false);
                }
                catch (PostgresException e) when (soleWorkRan && IsSoleWorkCheckFailure(e))
                {
                    // The work ended the transaction or left it aborted: the batch fails, as it would under a savepoint.
                    await RollBackIfOpenAsync(transaction).ConfigureAwait(false);
                    Complete(group[0], new SqlWorkFailedException(e));
                    return;
                }

                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                _cache.Clear();
                await DropBrokenConnectionAsync(e).ConfigureAwait(false);

                // The connection kept from an earlier group may have been closed by the server since
                // (a restart): it fails at first use. Before COMMIT was sent nothing took effect, so
                // the group is tried once more, on a new connection, instead of failing every batch.
                if (kept && !committing && !retried && PostgresErrors.IsConnectionLoss(e))
                {
                    retried = true;
                    continue;
                }

                var error = PostgresErrors.Translate(e, _schema);
                foreach (var pending in group)
                {
                    pending.Completion.TrySetException(error);
                }

                return;
            }
        }

        _cache.RememberHead(state.Head, headVersion);
        foreach (var (stream, row) in state.Streams)
        {
            _cache.RememberStream(stream, row);
        }

        for (var i = 0; i < decided; i++)
        {
            Complete(group[i], outcomes[i]!);
        }

        _deferred.AddRange(group.Skip(decided));
        if (state.Head >= plan.FirstPosition)
        {
            _onAppended();
        }
    }
}
