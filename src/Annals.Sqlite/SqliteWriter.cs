using System.Diagnostics;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Annals.Sqlite;

/// <summary>
/// The one writer of a file: a dedicated thread that takes every commit waiting in its queue,
/// decides them with the core's commit planner, writes their net effect in one transaction, and flushes once
/// (group commit). A batch whose expectation fails writes nothing; its neighbours commit.
/// </summary>
internal sealed partial class SqliteWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly int _maxGroupSize;
    private readonly Action _onAppended;
    private readonly ILogger _logger;
    private readonly TimeSpan _slowCommit;
    private const int SqliteConstraint = 19;

    private readonly WriterCommands _commands;
    private readonly Queue<PendingCommit> _queue = new();
    private readonly object _gate = new();
    private bool _closed;
    private bool _sleeping;
    private readonly Thread _thread;
    private long _head;
    private long _queueSequence;

    public SqliteWriter(SqliteConnection connection, string path, TimeProvider time, int maxGroupSize, Action onAppended, ILogger logger, TimeSpan slowCommit)
    {
        _logger = logger;
        _slowCommit = slowCommit;
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
                CommitTelemetry.GroupWritten("sqlite", group, static p => p.Span);
                var started = Stopwatch.GetTimestamp();
                CommitGroup(group);
                if (Stopwatch.GetElapsedTime(started) is var took && took >= _slowCommit)
                {
                    SqliteLog.SlowCommit(_logger, _path, group.Count, took.TotalMilliseconds);
                }

                group.Clear();
            }
        }
    }


    /// <summary>
    /// Commits a group in one transaction and one flush. Every expectation is decided in memory by the commit planner, so
    /// only a SQL work can fail a batch once the group runs: its error is kept, the transaction rolled back, and the group
    /// runs again without it. When writing fails for a reason one batch may have caused, each half is committed on its own,
    /// down to the batch that fails alone; a failure of the database itself fails the whole group.
    /// </summary>
    private void CommitGroup(List<PendingCommit> group)
    {
        var outcomes = new object?[group.Count];
        var workFailed = new bool[group.Count];
        var headAtStart = _head;
        var sequenceAtStart = _queueSequence;
        if (_streamRows.Count > MaxCachedStreams)
        {
            _streamRows.Clear();
        }

        try
        {
            // Event ids, and the states and messages the group creates, are looked up only when a stored one is met:
            // most are new, and the tables' unique indexes tell when one is not, so the group then runs again with
            // every key looked up.
            var lookUpAll = false;
            while (RunGroup(group, outcomes, workFailed, lookUpAll, _time.GetUtcNow()) is var run && run != GroupRun.Completed)
            {
                RollBackQuietly();
                ForgetUncommitted(headAtStart, sequenceAtStart);
                lookUpAll |= run == GroupRun.KeyStored;
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
            // Nothing of the group is stored.
            RollBackQuietly();
            ForgetUncommitted(headAtStart, sequenceAtStart);
            if (!SqliteErrors.IsStoreWide(e) && e is not ObjectDisposedException && group.Count > 1)
            {
                // Maybe one batch's fault (a value SQLite refused): the halves find it, and the others commit.
                var half = group.Count / 2;
                CommitGroup(group[..half]);
                CommitGroup(group[half..]);
                return;
            }

            var error = group.Count == 1 && !SqliteErrors.IsStoreWide(e)
                ? SqliteErrors.ForBatch(e, _path, group[0].CancellationToken)
                : SqliteErrors.Translate(e, _path) is var translated && translated is AnnalsException or ObjectDisposedException ? translated : new CommitFailedException(translated);
            if (group.Count > 1 || SqliteErrors.IsStoreWide(e))
            {
                SqliteLog.GroupFailed(_logger, _path, group.Count, e);
            }

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
    /// Runs the group's batches, but those whose SQL work failed, in a new transaction, in rounds: each loads what its
    /// batches check, decides them with the commit planner and writes their net effect. A round ends after a batch with
    /// SQL work, which runs once the round is written and so sees its batch stored, and before an append condition that
    /// must not count events the round removed; the next round goes on in the same transaction.
    /// </summary>
    /// <returns>Whether every batch has its outcome with the transaction open, or why the transaction must be rolled back
    /// for the group to run again.</returns>
    private GroupRun RunGroup(List<PendingCommit> group, object?[] outcomes, bool[] workFailed, bool lookUpAll, DateTimeOffset now)
    {
        // Every other outcome is decided again: a batch that failed against a batch now left out may succeed.
        for (var i = 0; i < group.Count; i++)
        {
            outcomes[i] = workFailed[i] ? outcomes[i] : null;
        }

        _commands.Begin.ExecuteNonQuery();
        var next = 0;
        while (next < group.Count)
        {
            var keys = new GroupKeys();
            for (var i = next; i < group.Count; i++)
            {
                if (!workFailed[i])
                {
                    keys.Add(group[i].Operations);
                }
            }

            var planner = new CommitPlanner(Load(keys, lookUpAll), now);
            var written = false;
            for (; next < group.Count; next++)
            {
                if (workFailed[next])
                {
                    continue;
                }

                var operations = group[next].Operations;
                if (!planner.CanDecide(operations))
                {
                    break;
                }

                var decision = planner.Decide(operations);
                if (!decision.Succeeded)
                {
                    // A batch that committed before is a replay, whatever it would fail on now: that needs its ids. And a
                    // batch that fails holding a key presumed absent fails on what the store holds of it: that needs the key.
                    if (!lookUpAll && (keys.TouchesCreatedKey(operations) || HoldsStoredEventId(operations)))
                    {
                        return GroupRun.KeyStored;
                    }

                    outcomes[next] = decision.Error;
                    continue;
                }

                outcomes[next] = decision.Result;
                if (decision.RunsSqlWork)
                {
                    // A work sees its own batch and those before it stored: the round is written first, and ends here.
                    if (!TryWrite(planner, keys, lookUpAll))
                    {
                        return GroupRun.KeyStored;
                    }

                    written = true;
                    if (RunSqlWorks(group[next]) is { } failed)
                    {
                        outcomes[next] = failed;
                        workFailed[next] = true;
                        return GroupRun.WorkFailed;
                    }

                    next++;
                    break;
                }
            }

            if (!written && !TryWrite(planner, keys, lookUpAll))
            {
                return GroupRun.KeyStored;
            }
        }

        return GroupRun.Completed;
    }

    /// <summary>Writes a decided round; fails when, its event ids or created keys not looked up, one of them is found stored.</summary>
    private bool TryWrite(CommitPlanner planner, GroupKeys keys, bool lookedUpAll)
    {
        try
        {
            Write(planner.Writes, lookedUpAll ? null : keys.CreatedStates);
        }
        catch (SqliteException e) when (!lookedUpAll && e.SqliteErrorCode == SqliteConstraint)
        {
            return false;
        }

        Remember(keys, planner);
        return true;
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
        /// <summary>Every batch has its outcome; the transaction is open.</summary>
        Completed,

        /// <summary>A batch's SQL work failed: the group runs again without it.</summary>
        WorkFailed,

        /// <summary>An appended event's id, or a state or message presumed new, is stored already: the group runs again with every key looked up.</summary>
        KeyStored,
    }

    private sealed record PendingCommit(BatchOperation[] Operations, TaskCompletionSource<CommitResult> Completion, CancellationToken CancellationToken)
    {
        /// <summary>The commit's span, taken on the caller's flow: the writer thread runs outside it.</summary>
        public Activity? Span { get; } = CommitTelemetry.CurrentCommit;
    }
}
