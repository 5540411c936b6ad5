using System.Diagnostics;
using System.Threading.Channels;
using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// This process's writer: takes every commit waiting in its queue and commits them as one group
/// under the store-wide head lock. An append-only group is decided from what the writer's own
/// last commit left and sent with its guards in one round trip (the fast path); any other group,
/// or one whose guards fail, takes the lock, reads what the group needs in one round trip, decides
/// every batch in memory (running a batch's SQL work under a savepoint), and writes the net effect
/// and commits in one more round trip. Other
/// processes' writers queue on the same lock, so positions follow commit order across all of them.
/// </summary>
internal sealed partial class PostgresWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly WriterStatements _statements;
    private readonly TimeProvider _time;
    private readonly int _maxGroupSize;
    private readonly Action _onAppended;
    private readonly ILogger _logger;
    private readonly TimeSpan _slowCommit;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly List<PendingCommit> _deferred = [];
    private readonly WriterCache _cache = new();
    private readonly PostgresStoreLock _lock;
    private NpgsqlConnection? _connection;

    public PostgresWriter(NpgsqlDataSource dataSource, string schema, TimeProvider time, int maxGroupSize, Action onAppended, PostgresStoreLock storeLock, ILogger logger, TimeSpan slowCommit)
    {
        _lock = storeLock;
        _logger = logger;
        _slowCommit = slowCommit;
        _dataSource = dataSource;
        _schema = schema;
        _statements = new WriterStatements(schema);
        _time = time;
        _maxGroupSize = maxGroupSize;
        _onAppended = onAppended;
        _loop = Task.Run(RunAsync);
    }

    public Task<CommitResult> EnqueueAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        var pending = new PendingCommit(operations, new TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresEventStore));
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlConnection> ConnectAsync()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }

        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            // A new connection may follow a server restart, which ended the lock's session too.
            await _lock.EnsureHeldAsync(connection, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _connection = connection;
        return _connection;
    }

    /// <summary>Why the group cannot be committed for want of the store's lock, or <see langword="null"/> when the lock is held.</summary>
    private async Task<Exception?> CheckLockAsync()
    {
        try
        {
            await _lock.EnsureHeldAsync(null, CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (Exception e)
        {
            return PostgresErrors.ForBatch(e, _schema);
        }
    }

    private async Task DiscardConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    internal sealed record PendingCommit(BatchOperation[] Operations, TaskCompletionSource<CommitResult> Completion, CancellationToken CancellationToken)
    {
        /// <summary>The commit's span, taken on the caller's flow: the writer loop runs outside it.</summary>
        public Activity? Span { get; } = CommitTelemetry.CurrentCommit;
    }
}
