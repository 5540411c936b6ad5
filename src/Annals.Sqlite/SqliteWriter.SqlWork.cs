using Annals.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Annals.Sqlite;

internal sealed partial class SqliteWriter
{
    private const int AuthorizeTransaction = 22;
    private const int AuthorizeOk = 0;
    private const int AuthorizeDeny = 1;

    private SqlWorkContext? _sqlWorkContext;

    // Kept in a field: SQLite calls it back from native code for as long as the connection lives.
    private strdelegate_authorizer? _authorizer;
    private bool _inSqlWork;

    /// <summary>
    /// Installs, once, the guard that keeps SQL works from ending the group's transaction: a COMMIT inside a
    /// work would store half a group without its counters, which no rollback could undo. SQLite asks it about each statement while preparing it, so the store's own statements,
    /// prepared once, cost nothing, and a work's forbidden statement fails before it runs.
    /// </summary>
    private void GuardSqlWork()
    {
        _authorizer = (_, action, _, _, _, _) => _inSqlWork && action == AuthorizeTransaction ? AuthorizeDeny : AuthorizeOk;
        raw.sqlite3_set_authorizer(_connection.Handle, _authorizer, null);
    }

    /// <summary>
    /// Runs the SQL works of a batch the planner has decided to commit, in order, once the batches before it are decided.
    /// A work that fails leaves the transaction to be rolled back: the batch fails, and the group runs again without it.
    /// </summary>
    /// <returns><see langword="null"/> when every work ran; otherwise the batch's error.</returns>
    /// <exception cref="Exception">A failure of the database itself that ended the transaction, which fails the group.</exception>
    private Exception? RunSqlWorks(PendingCommit pending)
    {
        foreach (var operation in pending.Operations)
        {
            if (operation.Kind != OperationKind.SqlWork)
            {
                continue;
            }

            try
            {
                RunSqlWork((SqlWorkOperation)operation, pending.CancellationToken);
            }
            catch (Exception e) when (!SqliteErrors.IsStoreWide(e))
            {
                return SqliteErrors.ForBatch(e, _path, pending.CancellationToken);
            }
        }

        return null;
    }

    /// <summary>
    /// Runs a batch's SQL work on the writer's connection, inside the open transaction. The writer thread
    /// waits for it: Microsoft.Data.Sqlite's asynchronous methods complete synchronously.
    /// </summary>
    /// <exception cref="SqlWorkFailedException">The work threw.</exception>
    /// <exception cref="OperationCanceledException">The commit's caller cancelled it while the work ran.</exception>
    private void RunSqlWork(SqlWorkOperation work, CancellationToken cancellationToken)
    {
        // The transaction is begun with SQL, so there is no transaction object to hand over.
        _sqlWorkContext ??= new SqlWorkContext(_connection, null, SqlWorkContext.SqliteDialect, null);
        _inSqlWork = true;
        try
        {
            work.Work(_sqlWorkContext, cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // SQLite rolls the whole transaction back on some errors: a full disk or an I/O error fails the group, and the
            // writer's own error handling says why; any other (a trigger's RAISE(ROLLBACK)) fails this batch, and the
            // writer runs its neighbours again.
            if (!InTransaction && SqliteErrors.IsStoreWide(e))
            {
                throw;
            }

            // The caller gave up on the commit: it is cancelled, not failed.
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new SqlWorkFailedException(e);
        }
        finally
        {
            _inSqlWork = false;
        }

        if (!InTransaction)
        {
            throw new SqlWorkFailedException(new InvalidOperationException("A SQL work ended the commit's transaction; a work must not commit or roll back the transaction it runs in."));
        }
    }

    private bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;
}
