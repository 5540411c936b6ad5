using Annals.Storage;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// The session advisory lock an open store holds on its schema (<see cref="PostgresLockKey"/>), shared or exclusive, on a
/// connection of its own held for the store's lifetime: no other store object, in this process or another, opens
/// the schema exclusively while a shared lock is held, nor at all while an exclusive one is.
/// </summary>
/// <remarks>
/// The server releases the lock when the session ends: when the store is disposed, when its process dies, and when
/// the connection is lost (a server restart, a terminated backend). A watcher waits on the connection to learn of that
/// at once, and the writer checks, on every new connection of its own, that the lock's session still holds it. Once
/// the lock is lost, a shared open takes it again before its next commit (and fails the commit while another opener
/// holds the schema exclusively); an exclusive open cannot tell whether another opener came and went meanwhile, so
/// every later commit fails with <see cref="StoreLockLostException"/>.
/// </remarks>
internal sealed class PostgresStoreLock : IAsyncDisposable
{
    private const string HeldSql = """
        SELECT EXISTS (SELECT FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                       WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1
                         AND l.granted AND l.mode = $3 AND l.pid = $4 AND a.backend_start = $5)
        """;

    private readonly Func<CancellationToken, ValueTask<NpgsqlConnection>> _connect;
    private readonly long _key;
    private readonly Lock _gate = new();
    private Session _session;
    private StoreLockLostException? _lost;
    private TaskCompletionSource _lostSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PostgresStoreLock(Func<CancellationToken, ValueTask<NpgsqlConnection>> connect, string schema, bool exclusive, Session session)
    {
        _connect = connect;
        Schema = schema;
        Exclusive = exclusive;
        _key = PostgresLockKey.Of(schema);
        _session = session;
        _session.Watch(OnSessionEnded);
    }

    public string Schema { get; }

    public bool Exclusive { get; }

    /// <summary>Completes when the lock is next lost: tests wait on it instead of sleeping.</summary>
    internal Task WhenLost
    {
        get
        {
            lock (_gate)
            {
                return _lostSignal.Task;
            }
        }
    }

    /// <summary>The backend process of the lock's session, as <c>pg_locks.pid</c> shows it.</summary>
    internal int ProcessId => _session.ProcessId;

    /// <summary>Takes the lock on a new connection, or fails at once with <see cref="StoreLockedException"/> naming who holds the schema.</summary>
    public static async Task<PostgresStoreLock> TakeAsync(Func<CancellationToken, ValueTask<NpgsqlConnection>> connect, string schema, bool exclusive, CancellationToken cancellationToken)
    {
        var session = await Session.OpenAsync(connect, schema, exclusive, cancellationToken).ConfigureAwait(false);
        return new PostgresStoreLock(connect, schema, exclusive, session);
    }

    /// <summary>
    /// Takes the lock on <paramref name="connection"/> for as long as its session lasts or until released, or fails with
    /// <see cref="StoreLockedException"/>; for work that must keep everyone out of a schema, such as dropping it.
    /// </summary>
    /// <param name="connection">The connection whose session holds the lock.</param>
    /// <param name="schema">The store's schema.</param>
    /// <param name="exclusive">Whether to take the lock exclusively.</param>
    /// <param name="action">What an exclusive lock is taken for, as its refusal says: "opened exclusively", "deleted".</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    public static async Task TakeOnAsync(NpgsqlConnection connection, string schema, bool exclusive, string action, CancellationToken cancellationToken)
    {
        var key = PostgresLockKey.Of(schema);
        await using var command = new NpgsqlCommand(exclusive ? "SELECT pg_try_advisory_lock($1)" : "SELECT pg_try_advisory_lock_shared($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = key });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            throw await RefusedAsync(connection, schema, key, exclusive, action, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called by the writer before it commits, and with <paramref name="writerConnection"/> on each new connection of
    /// its own: makes sure the lock is held, taking a lost shared lock again, and throws when it cannot be.
    /// </summary>
    /// <exception cref="StoreLockLostException">The lock was lost and cannot be held again.</exception>
    public async ValueTask EnsureHeldAsync(NpgsqlConnection? writerConnection, CancellationToken cancellationToken)
    {
        // A new connection of the writer may follow a server restart that the watcher has not heard of yet.
        if (writerConnection is not null && Volatile.Read(ref _lost) is null && !await IsHeldAsync(writerConnection, cancellationToken).ConfigureAwait(false))
        {
            OnSessionEnded(_session, null);
        }

        var lost = Volatile.Read(ref _lost);
        if (lost is null)
        {
            return;
        }

        if (Exclusive)
        {
            throw lost;
        }

        Session session;
        try
        {
            session = await Session.OpenAsync(_connect, Schema, exclusive: false, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreLockedException e)
        {
            throw new StoreLockLostException(Schema, $"The store in schema '{Schema}' lost its shared lock when its session with the server ended, and cannot take it again: {e.Message} It commits again once that open is disposed.", e);
        }

        var old = _session;
        lock (_gate)
        {
            _session = session;
            _lost = null;
            _lostSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        await old.DisposeAsync().ConfigureAwait(false);
        session.Watch(OnSessionEnded);
    }

    /// <summary>Releases the lock and closes its connection.</summary>
    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private static async Task<StoreLockedException> RefusedAsync(NpgsqlConnection connection, string schema, long key, bool exclusive, string action, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT string_agg(format('backend %s (%s%s)', l.pid, CASE l.mode WHEN 'ExclusiveLock' THEN 'exclusive' ELSE 'shared' END,
                                     coalesce(', application ''' || nullif(a.application_name, '') || '''', '')), ', ' ORDER BY l.pid)
            FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1 AND l.granted
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresLockKey.ClassId(key) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresLockKey.ObjectId(key) });
        var holders = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        var by = holders is null ? "another store object, in this process or another" : $"another store object: {holders}";
        return new StoreLockedException(
            schema,
            exclusive
                ? $"The store in schema '{schema}' cannot be {action}: it is open elsewhere, by {by}. It can be once every other open is disposed."
                : $"The store in schema '{schema}' is open exclusively by {by}. It can be opened once that open is disposed.");
    }

    private async Task<bool> IsHeldAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var session = _session;
        await using var command = new NpgsqlCommand(HeldSql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresLockKey.ClassId(_key) });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PostgresLockKey.ObjectId(_key) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Exclusive ? "ExclusiveLock" : "ShareLock" });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = session.ProcessId });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = session.BackendStart });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private void OnSessionEnded(Session session, Exception? cause)
    {
        lock (_gate)
        {
            if (session != _session || _lost is not null)
            {
                return;
            }

            _lost = new StoreLockLostException(
                Schema,
                Exclusive
                    ? $"The store in schema '{Schema}' lost its exclusive lock when its session with the server ended (a server restart, a lost connection, a terminated backend); another opener may have opened it since. Dispose this store and open it again."
                    : $"The store in schema '{Schema}' lost its shared lock when its session with the server ended (a server restart, a lost connection, a terminated backend).",
                cause);
            _lostSignal.TrySetResult();
        }
    }

    /// <summary>One session holding the lock, and the watcher that learns when it ends.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly long _key;
        private readonly bool _exclusive;
        private readonly CancellationTokenSource _stop = new();
        private Task _watcher = Task.CompletedTask;

        private Session(NpgsqlConnection connection, long key, bool exclusive, int processId, DateTime backendStart)
        {
            _connection = connection;
            _key = key;
            _exclusive = exclusive;
            ProcessId = processId;
            BackendStart = backendStart;
        }

        public int ProcessId { get; }

        /// <summary>When the session's backend started: with the process id, it names the session even after the server reuses the id.</summary>
        public DateTime BackendStart { get; }

        public static async Task<Session> OpenAsync(Func<CancellationToken, ValueTask<NpgsqlConnection>> connect, string schema, bool exclusive, CancellationToken cancellationToken)
        {
            var connection = await connect(cancellationToken).ConfigureAwait(false);
            try
            {
                await TakeOnAsync(connection, schema, exclusive, "opened exclusively", cancellationToken).ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_backend_pid(), backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new Session(connection, PostgresLockKey.Of(schema), exclusive, reader.GetInt32(0), reader.GetDateTime(1));
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        public void Watch(Action<Session, Exception?> ended) => _watcher = Task.Run(() => WatchAsync(ended));

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _watcher.ConfigureAwait(false);
            // Whatever ended the watcher, a connection still open may still hold the lock.
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                try
                {
                    // Released explicitly: a caller's pooled connection outlives the store, and would otherwise keep the lock.
                    await using var unlock = new NpgsqlCommand(_exclusive ? "SELECT pg_advisory_unlock($1)" : "SELECT pg_advisory_unlock_shared($1)", _connection) { CommandTimeout = 5 };
                    unlock.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _key });
                    await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
                {
                    // The connection failed under it: Npgsql closes a broken connection for good, which ends the session and its locks.
                }
            }

            await _connection.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }

        /// <summary>Waits on the idle connection, which nothing but its end interrupts.</summary>
        private async Task WatchAsync(Action<Session, Exception?> ended)
        {
            try
            {
                while (true)
                {
                    await _connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                ended(this, e);
            }
        }
    }
}
