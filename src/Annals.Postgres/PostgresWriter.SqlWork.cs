using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    private const string SqlWorkSavepoint = "annals_sql_work";

    /// <summary>
    /// Runs the SQL works of a batch the plan has just decided to commit, on the group's connection and
    /// transaction. The plan decides batches in memory, so only a work can fail a batch after it is decided:
    /// a savepoint around the works undoes their writes, even after an error has aborted the transaction,
    /// and the plan forgets the batch. Its neighbours commit, with one round trip for the savepoint and one
    /// for its release added to the group's.
    /// </summary>
    /// <returns>The batch's result; a <see cref="SqlWorkFailedException"/> when a work failed, or the work's <see cref="OperationCanceledException"/> when the batch's caller cancelled the commit.</returns>
    private async Task<object> RunSqlWorkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CommitPlanner planner, PendingCommit pending, CommitResult result)
    {
        await transaction.SaveAsync(SqlWorkSavepoint).ConfigureAwait(false);
        try
        {
            await RunWorksAsync(connection, transaction, pending).ConfigureAwait(false);

            // Fails, too, when a work caught an error of its own that aborted the transaction.
            await transaction.ReleaseAsync(SqlWorkSavepoint).ConfigureAwait(false);
        }
        catch (Exception e) when (!PostgresErrors.IsConnectionLoss(e))
        {
            // A lost connection fails the group instead, and the writer's own error handling says why;
            // so does a rollback that fails because a work ended the transaction.
            await transaction.RollbackAsync(SqlWorkSavepoint).ConfigureAwait(false);
            await transaction.ReleaseAsync(SqlWorkSavepoint).ConfigureAwait(false);
            planner.UndoLast();
            return WorkError(e, pending);
        }

        return result;
    }

    /// <summary>
    /// Runs the SQL works of the only batch of a group, without a savepoint: when a work fails, the transaction is
    /// rolled back and nothing of the group is stored.
    /// </summary>
    /// <returns><see langword="null"/> when the works ran; the batch's error when one failed (or was cancelled) and the group was rolled back.</returns>
    private async Task<Exception?> RunSoleSqlWorkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingCommit pending)
    {
        try
        {
            await RunWorksAsync(connection, transaction, pending).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (!PostgresErrors.IsConnectionLoss(e))
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
            return WorkError(e, pending);
        }
    }

    /// <summary>
    /// The first statement of the write batch after a work that ran alone, without a savepoint to notice what it did to
    /// the transaction: fails when the work committed or rolled back the transaction (another transaction runs the
    /// batch) or left it aborted by an error it caught (every statement then fails). Nothing of the batch is written.
    /// </summary>
    private static void AddSoleWorkCheck(NpgsqlBatch batch, string transactionId) => batch.Add(SoleWorkCheck, transactionId);

    /// <summary>Whether an error of the write batch comes from <see cref="AddSoleWorkCheck"/>: the work broke the transaction.</summary>
    private static bool IsSoleWorkCheckFailure(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.InFailedSqlTransaction || e.MessageText.Contains(WorkEndedTransaction, StringComparison.Ordinal);

    private const string WorkEndedTransaction = "annals: a SQL work ended the transaction of its commit";

    // The error names the transaction now running: a constant message would be cast (and fail) while planning.
    private const string SoleWorkCheck = $"SELECT CASE WHEN txid_current()::text = $1 THEN 0 ELSE ('{WorkEndedTransaction}; now in ' || txid_current())::int END";

    private static async Task RollBackIfOpenAsync(NpgsqlTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The work committed or rolled back the transaction itself: nothing is left to roll back.
        }
    }

    /// <summary>What a batch's caller is told when its work threw: cancelled when it cancelled the commit, failed otherwise.</summary>
    private static Exception WorkError(Exception e, PendingCommit pending) =>
        e is OperationCanceledException && pending.CancellationToken.IsCancellationRequested ? e : new SqlWorkFailedException(e);

    private async Task RunWorksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingCommit pending)
    {
        var context = new SqlWorkContext(connection, transaction, SqlWorkContext.PostgresDialect, _schema);
        foreach (var operation in pending.Operations)
        {
            if (operation.Kind == OperationKind.SqlWork)
            {
                await ((SqlWorkOperation)operation).Work(context, pending.CancellationToken).ConfigureAwait(false);
            }
        }
    }
}
