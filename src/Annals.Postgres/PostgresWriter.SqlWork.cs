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
    /// <returns>The batch's result, or a <see cref="SqlWorkFailedException"/> when a work failed.</returns>
    private async Task<object> RunSqlWorkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, GroupPlan plan, PendingCommit pending, CommitResult result)
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
            plan.UndoLast();
            return new SqlWorkFailedException(e);
        }

        return result;
    }

    /// <summary>
    /// Runs the SQL works of the only batch of a group, without a savepoint: when a work fails, the transaction is
    /// rolled back and nothing of the group is stored.
    /// </summary>
    /// <returns><see langword="null"/> when the works ran; the batch's error when one failed and the group was rolled back.</returns>
    private async Task<SqlWorkFailedException?> RunSoleSqlWorkAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingCommit pending)
    {
        try
        {
            await RunWorksAsync(connection, transaction, pending).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (!PostgresErrors.IsConnectionLoss(e))
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
            return new SqlWorkFailedException(e);
        }
    }

    private async Task RunWorksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, PendingCommit pending)
    {
        var context = new SqlWorkContext(connection, transaction, SqlWorkContext.PostgresDialect, _schema);
        foreach (var operation in pending.Operations)
        {
            if (operation is SqlWorkOperation work)
            {
                await work.Work(context, pending.CancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool HasSqlWork(BatchOperation[] operations) => Array.Exists(operations, o => o is SqlWorkOperation);
}
