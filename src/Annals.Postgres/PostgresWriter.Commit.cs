using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    /// <summary>
    /// Commits a group, and makes sure that no batch fails because of another: when the group fails as a whole for a
    /// reason one batch may have caused (a value the server or the driver refused, a work that broke its connection, a
    /// fault nobody foresaw), nothing of it was committed, so each half is committed on its own, down to the batch that
    /// fails alone. A server that cannot be reached, or a commit whose outcome is unknown, fails every batch of the
    /// group with <see cref="StoreUnavailableException"/>, since no batch of it could do better.
    /// </summary>
    private async Task CommitGroupAsync(List<PendingCommit> group)
    {
        GroupFailure? failure;
        try
        {
            failure = await TryFastPathAsync(group).ConfigureAwait(false) ? null : await CommitLoadedAsync(group).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not a failure the commit paths know: the connection's state is unknown, so it goes.
            if (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                PostgresLog.WriterConnectionLost(_logger, _schema, e);
            }

            _cache.Clear();
            await DiscardConnectionAsync().ConfigureAwait(false);
            failure = new GroupFailure(e, Splittable: true);
        }

        if (failure is null)
        {
            return;
        }

        if (failure.Splittable && group.Count > 1)
        {
            var half = group.Count / 2;
            await CommitGroupAsync(group[..half]).ConfigureAwait(false);
            await CommitGroupAsync(group[half..]).ConfigureAwait(false);
            return;
        }

        var error = PostgresErrors.ForBatch(failure.Error, _schema);
        foreach (var pending in group)
        {
            pending.Completion.TrySetException(error);
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
    /// <returns><see langword="null"/> when every batch has its outcome; otherwise why the group as a whole failed.</returns>
    private async Task<GroupFailure?> CommitLoadedAsync(List<PendingCommit> group)
    {
        var outcomes = new object?[group.Count];
        var decided = 0;
        var retried = false;
        LoadedGroup loaded;
        CommitPlanner planner;
        string headVersion;
        while (true)
        {
            var kept = _connection is not null;
            var connected = false;
            var committing = false;
            var soleWorkRan = false;
            try
            {
                decided = 0;
                var connection = await ConnectAsync().ConfigureAwait(false);
                connected = true;
                await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
                loaded = await LoadAsync(connection, transaction, group).ConfigureAwait(false);
                planner = new CommitPlanner(loaded.State, _time.GetUtcNow());
                for (; decided < group.Count; decided++)
                {
                    // A condition must not count events this group removed but the database still holds: it waits for the next group.
                    var operations = group[decided].Operations;
                    if (!planner.CanDecide(operations))
                    {
                        break;
                    }

                    var decision = planner.Decide(operations);
                    object outcome = decision.Succeeded ? decision.Result : decision.Error;

                    // A replayed batch committed before, works and all: they do not run again.
                    if (decision.RunsSqlWork)
                    {
                        if (group.Count == 1)
                        {
                            // Alone in its group, the batch needs no savepoint: a failing work rolls back the whole
                            // transaction, which holds nothing else. Two round trips fewer for a projection's commit.
                            if (await RunSoleSqlWorkAsync(connection, transaction, group[0]).ConfigureAwait(false) is { } failed)
                            {
                                Complete(group[0], failed);
                                return null;
                            }

                            soleWorkRan = true;
                        }
                        else
                        {
                            outcome = await RunSqlWorkAsync(connection, transaction, planner, group[decided], decision.Result).ConfigureAwait(false);
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
                        AddSoleWorkCheck(batch, loaded.TransactionId!);
                    }

                    AddWrites(batch, planner.Writes, writeQueueSequence: loaded.Keys.Enqueues);
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                    headVersion = await ExecuteWritesAsync(batch).ConfigureAwait(false);
                }
                catch (PostgresException e) when (soleWorkRan && IsSoleWorkCheckFailure(e))
                {
                    // The work ended the transaction or left it aborted: the batch fails, as it would under a savepoint.
                    await RollBackIfOpenAsync(transaction).ConfigureAwait(false);
                    Complete(group[0], new SqlWorkFailedException(e));
                    return null;
                }

                break;
            }
            catch (Exception e)
            {
                _cache.Clear();

                // After an error of the server the transaction is rolled back and the connection is fine; after anything
                // else its state is unknown, so it goes.
                if (e is not PostgresException || PostgresErrors.IsConnectionLoss(e))
                {
                    await DiscardConnectionAsync().ConfigureAwait(false);
                }

                // The connection kept from an earlier group may have been closed by the server since
                // (a restart): it fails at first use. Before COMMIT was sent nothing took effect, so
                // the group is tried once more, on a new connection, instead of failing every batch.
                if (kept && !committing && !retried && PostgresErrors.IsConnectionLoss(e))
                {
                    retried = true;
                    continue;
                }

                // Once COMMIT was sent, a lost connection leaves the outcome unknown; before, a server that cannot be
                // reached fails everyone alike. Anything else stored nothing, and may be one batch's fault.
                var lost = PostgresErrors.IsConnectionLoss(e);
                return new GroupFailure(e, Splittable: connected && !(committing && lost));
            }
        }

        _cache.RememberHead(planner.Writes.Head, headVersion);
        foreach (var stream in loaded.Keys.Streams)
        {
            _cache.RememberStream(stream, planner.State.Streams.TryGetValue(stream, out var head) ? head : null);
        }

        for (var i = 0; i < decided; i++)
        {
            Complete(group[i], outcomes[i]!);
        }

        _deferred.AddRange(group.Skip(decided));
        if (planner.Writes.Appended)
        {
            _onAppended();
        }

        return null;
    }

    /// <summary>Why a group failed as a whole, and whether committing its batches apart could tell one batch's fault from the others.</summary>
    private sealed record GroupFailure(Exception Error, bool Splittable);
}
