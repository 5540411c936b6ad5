using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// Listens on the store's channel on a dedicated connection and wakes subscriptions on every
/// commit, from any process. It starts with the first subscription that waits, and holds the
/// <see cref="ListenerGate"/> while it listens: writers skip notifying while no process listens.
/// When the connection drops it reconnects with a back-off; meanwhile subscriptions fall back to
/// polling, and they re-read on every wake-up, so nothing is missed.
/// </summary>
internal sealed class PostgresNotifications : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly TimeSpan _pollInterval;
    private readonly string _schema;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Pulse _commits = new();
    private Task? _loop;
    private bool _stopping;

    public PostgresNotifications(NpgsqlDataSource dataSource, string schema, string channel, TimeSpan pollInterval, TimeProvider time, ILogger logger)
    {
        _schema = schema;
        _logger = logger;
        _dataSource = dataSource;
        _channel = channel;
        _pollInterval = pollInterval;
        _time = time;
    }

    /// <summary>Wakes every waiting subscription.</summary>
    public void Signal() => _commits.Fire();

    /// <summary>The signal of the next commit; take it before reading, then wait on it. Starts listening on first use.</summary>
    public Task Next()
    {
        lock (_lock)
        {
            if (_loop is null && !_stopping)
            {
                _loop = Task.Run(ListenAsync);
            }

            return _commits.Next;
        }
    }

    /// <summary>Waits for the signal, at most the poll interval; ends early when the store stops.</summary>
    public async Task WaitAsync(Task next, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        try
        {
            await next.WaitAsync(_pollInterval, _time, linked.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Poll: a notification may have been lost while the listener reconnected.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The store stops; the subscription sees it and ends.
        }
    }

    public bool IsStopped => _stop.IsCancellationRequested;

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            _stopping = true;
            loop = _loop;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _commits.Close();
        try
        {
            await (loop ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // _stop is not disposed: subscriptions still waiting link their tokens to it; it holds no timer.
    }

    private async Task ListenAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token).ConfigureAwait(false);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlBatch(connection))
                {
                    listen.BatchCommands.Add(new NpgsqlBatchCommand($"LISTEN \"{_channel}\""));
                    listen.Add(ListenerGate.Hold, _channel);
                    await listen.ExecuteNonQueryAsync(_stop.Token).ConfigureAwait(false);
                }

                // Commits made while no one listened, which did not notify, are found by this re-read.
                Signal();
                if (failures > 0)
                {
                    PostgresLog.ListenerBack(_logger, _schema);
                }

                failures = 0;
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        await connection.WaitAsync(_stop.Token).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await StopListeningAsync(connection).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException)
            {
                Signal();
                if (++failures == 1)
                {
                    PostgresLog.ListenerLost(_logger, _schema, failures, _pollInterval.TotalMilliseconds, e);
                }

                try
                {
                    // Jittered, so that the listeners of many processes do not all knock at once on a server coming back.
                    await Task.Delay(Backoff.EqualJitter(FirstRetryDelay, MaxRetryDelay, failures, Random.Shared), _time, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Ends the session's listening before its connection goes back to the pool, which may be the caller's and
    /// outlive the store: there it would hold the gate (so every writer notified) and take notifications no one
    /// reads until the connection is reused and reset, if it ever is (<c>No Reset On Close</c>).
    /// </summary>
    private async Task StopListeningAsync(NpgsqlConnection connection)
    {
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            // A broken connection is closed for good, and its session's locks and listening end with it.
            return;
        }

        try
        {
            await using var stop = new NpgsqlBatch(connection) { Timeout = 5 };
            stop.BatchCommands.Add(new NpgsqlBatchCommand($"UNLISTEN \"{_channel}\""));
            stop.Add(ListenerGate.Release, _channel);
            await stop.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // The connection failed under it: Npgsql closes a broken connection for good, which ends the session.
        }
    }
}
