using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>
/// The one writer of a file: a dedicated thread that takes every commit waiting in its queue,
/// runs them in one transaction, each inside its own savepoint, and flushes once (group commit).
/// A batch whose expectation fails rolls back to its savepoint alone; its neighbours commit.
/// </summary>
internal sealed partial class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly int _maxGroupSize;
    private readonly Action _onAppended;
    private readonly Queue<PendingCommit> _queue = new();
    private readonly object _gate = new();
    private bool _closed;
    private bool _sleeping;
    private readonly Thread _thread;
    private long _head;
    private long _queueSequence;

    public SqliteWriter(SqliteConnection connection, string path, TimeProvider time, int maxGroupSize, Action onAppended)
    {
        _connection = connection;
        _path = path;
        _time = time;
        _maxGroupSize = maxGroupSize;
        _onAppended = onAppended;
        _commands = new WriterCommands(connection);
        GuardSqlWork();
        _head = ReadCounter("head");
        _queueSequence = ReadCounter("queue_sequence");
        _thread = new Thread(Run) { IsBackground = true, Name = "Annals SQLite writer" };
        _thread.Start();
    }

    public Task<CommitResult> EnqueueAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        var pending = new PendingCommit(operations, new TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        lock (_gate)
        {
            if (_closed)
            {
                throw new ObjectDisposedException(nameof(SqliteEventStore));
            }

            _queue.Enqueue(pending);

            // Wakes the writer thread directly, with no hop through the thread pool.
            if (_sleeping)
            {
                Monitor.Pulse(_gate);
            }
        }

        return pending.Completion.Task;
    }

    /// <summary>Stops taking commits, finishes those already queued, and closes the connection.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }

        _thread.Join();
        _commands.Dispose();
        _connection.Dispose();
    }

    private void Run()
    {
        var group = new List<PendingCommit>(_maxGroupSize);
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_closed)
                {
                    _sleeping = true;
                    Monitor.Wait(_gate);
                    _sleeping = false;
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                while (group.Count < _maxGroupSize && _queue.TryDequeue(out var pending))
                {
                    if (pending.CancellationToken.IsCancellationRequested)
                    {
                        pending.Completion.TrySetCanceled(pending.CancellationToken);
                    }
                    else
                    {
                        group.Add(pending);
                    }
                }
            }

            if (group.Count > 0)
            {
                CommitGroup(group);
                group.Clear();
            }
        }
    }

    private void CommitGroup(List<PendingCommit> group)
    {
        var now = _time.GetUtcNow();
        var outcomes = new object?[group.Count];
        var headAtStart = _head;
        var sequenceAtStart = _queueSequence;
        if (_streamRows.Count > MaxCachedStreams)
        {
            _streamRows.Clear();
        }

        try
        {
            // The common case runs the group without savepoints, so no page is journalled twice. When a batch fails,
            // its error is kept and the group runs once more with a savepoint per batch: any further failure then costs
            // only its own batch. A batch whose failure ended the transaction itself is left out, and the rest runs again.
            var isolateBatches = false;
            while (RunGroup(group, outcomes, now, isolateBatches) is var run && run != GroupRun.Completed)
            {
                RollBackQuietly();
                ForgetUncommitted(headAtStart, sequenceAtStart);
                isolateBatches |= run == GroupRun.BatchFailed;
            }

            if (_head != headAtStart)
            {
                WriteCounter("head", _head);
            }

            if (_queueSequence != sequenceAtStart)
            {
                WriteCounter("queue_sequence", _queueSequence);
            }

            _commands.Commit.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            // The database failed the group (a full disk, an I/O error, a lock), not one of its batches: nothing of it is stored.
            RollBackQuietly();
            ForgetUncommitted(headAtStart, sequenceAtStart);
            var error = SqliteErrors.Translate(e, _path) is var translated && translated is AnnalsException or ObjectDisposedException
                ? translated
                : new CommitFailedException(translated);
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(error);
            }

            return;
        }

        for (var i = 0; i < group.Count; i++)
        {
            _ = outcomes[i] switch
            {
                CommitResult result => group[i].Completion.TrySetResult(result),
                OperationCanceledException => group[i].Completion.TrySetCanceled(group[i].CancellationToken),
                var error => group[i].Completion.TrySetException((Exception)error!),
            };
        }

        if (_head != headAtStart)
        {
            _onAppended();
        }
    }

    /// <summary>
    /// Runs the group's batches in an open transaction, skipping those that failed already. A batch that fails with
    /// the transaction still open fails alone: under isolation it is rolled back to its savepoint and the run goes on;
    /// without, the run stops for the group to run again isolated. A batch whose failure ended the transaction fails
    /// alone too, and the run stops for the rest to run again; a failure of the database itself fails the group.
    /// </summary>
    private GroupRun RunGroup(List<PendingCommit> group, object?[] outcomes, DateTimeOffset now, bool isolateBatches)
    {
        _commands.Begin.ExecuteNonQuery();
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i] is Exception)
            {
                continue;
            }

            var cancellation = group[i].CancellationToken;
            var head = _head;
            var sequence = _queueSequence;
            if (isolateBatches)
            {
                _commands.Savepoint.ExecuteNonQuery();
            }

            try
            {
                outcomes[i] = Apply(group[i].Operations, now, cancellation);
                if (isolateBatches)
                {
                    _commands.Release.ExecuteNonQuery();
                }
            }
            catch (Exception e) when (!SqliteErrors.IsStoreWide(e))
            {
                outcomes[i] = SqliteErrors.ForBatch(e, _path, cancellation);
                if (!InTransaction)
                {
                    return GroupRun.TransactionLost;
                }

                if (!isolateBatches)
                {
                    return GroupRun.BatchFailed;
                }

                _commands.RollbackToSavepoint.ExecuteNonQuery();
                _commands.Release.ExecuteNonQuery();
                ForgetUncommitted(head, sequence);
            }
        }

        return GroupRun.Completed;
    }

    /// <summary>Drops what the writer remembers of work that was rolled back.</summary>
    private void ForgetUncommitted(long head, long queueSequence)
    {
        _head = head;
        _queueSequence = queueSequence;
        _streamRows.Clear();
    }

    private void RollBackQuietly()
    {
        try
        {
            if (!_connection.State.HasFlag(System.Data.ConnectionState.Open))
            {
                return;
            }

            _commands.Rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // No transaction was open (BEGIN itself failed), or SQLite already rolled it back.
        }
    }

    private long ReadCounter(string name)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM counters WHERE name = $name;";
        command.Parameters.AddWithValue("$name", name);
        return (long)command.ExecuteScalar()!;
    }

    private void WriteCounter(string name, long value)
    {
        _commands.UpdateCounter.Parameters["$name"].Value = name;
        _commands.UpdateCounter.Parameters["$value"].Value = value;
        _commands.UpdateCounter.ExecuteNonQuery();
    }

    private enum GroupRun
    {
        /// <summary>Every batch was applied or failed alone; the transaction is open.</summary>
        Completed,

        /// <summary>A batch failed without a savepoint to undo it alone: the group runs again, isolated.</summary>
        BatchFailed,

        /// <summary>A batch's failure ended the transaction: the rest of the group runs again.</summary>
        TransactionLost,
    }

    private sealed record PendingCommit(BatchOperation[] Operations, TaskCompletionSource<CommitResult> Completion, CancellationToken CancellationToken);
}
