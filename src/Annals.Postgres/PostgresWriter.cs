using System.Threading.Channels;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// This process's writer: takes every commit waiting in its queue and commits them as one group
/// under the store-wide head lock. An append-only group is decided from what the writer's own
/// last commit left and sent with its guards in one round trip (the fast path); any other group,
/// or one whose guards fail, takes the lock, reads what the group needs in one round trip, decides
/// every batch in memory, writes the net effect in one more round trip and commits. Other
/// processes' writers queue on the same lock, so positions follow commit order across all of them.
/// </summary>
internal sealed partial class PostgresWriter : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly TimeProvider _time;
    private readonly int _maxGroupSize;
    private readonly Action _onAppended;
    private readonly Channel<PendingCommit> _queue = Channel.CreateUnbounded<PendingCommit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly List<PendingCommit> _deferred = [];
    private readonly WriterCache _cache = new();
    private NpgsqlConnection? _connection;

    public PostgresWriter(NpgsqlDataSource dataSource, string schema, TimeProvider time, int maxGroupSize, Action onAppended)
    {
        _dataSource = dataSource;
        _schema = schema;
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

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var group = new List<PendingCommit>(_maxGroupSize);
        var expected = 0;
        long lastCommitTicks = 0;
        while (_deferred.Count > 0 || group.Count > 0 || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.InsertRange(0, _deferred);
            _deferred.Clear();
            Take(reader, group);
            if (Linger > 0 && group.Count < expected)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                var budget = Math.Min(lastCommitTicks / Linger, System.Diagnostics.Stopwatch.Frequency / 1000);
                while (group.Count < expected && group.Count < _maxGroupSize && System.Diagnostics.Stopwatch.GetTimestamp() - start < budget)
                {
                    await Task.Yield();
                    Take(reader, group);
                }
            }

            var previous = group.Count;
            group.RemoveAll(p => p.CancellationToken.IsCancellationRequested && p.Completion.TrySetCanceled(p.CancellationToken));
            if (group.Count > 0)
            {
                var t = System.Diagnostics.Stopwatch.GetTimestamp();
                await CommitGroupAsync(group).ConfigureAwait(false);
                lastCommitTicks = System.Diagnostics.Stopwatch.GetTimestamp() - t;
            }

            group.Clear();
            Take(reader, group);
            expected = previous > 1 ? previous + group.Count : 0;
        }
    }

    private static readonly int Linger = int.TryParse(Environment.GetEnvironmentVariable("LINGER"), out var l) ? l : 0;
    private static readonly int LingerMin = int.TryParse(Environment.GetEnvironmentVariable("LINGERMIN"), out var l) ? l : 0;

    private void Take(ChannelReader<PendingCommit> reader, List<PendingCommit> group)
    {
        while (group.Count < _maxGroupSize && reader.TryRead(out var pending))
        {
            group.Add(pending);
        }
    }

    private async Task CommitGroupAsync(List<PendingCommit> group)
    {
        if (!await TryFastPathAsync(group).ConfigureAwait(false))
        {
            await CommitLoadedAsync(group).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits a group the general way: takes the head lock, loads what the group needs, decides,
    /// writes, commits. Handles every kind of operation, replays and conflicts exactly.
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

                    outcomes[decided] = plan.Decide(group[decided].Operations);
                }

                await using (var batch = new NpgsqlBatch(connection, transaction))
                {
                    AddWrites(batch, plan, state);
                    headVersion = await ExecuteWritesAsync(batch).ConfigureAwait(false);
                }

                committing = true;
                await transaction.CommitAsync().ConfigureAwait(false);
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
            if (outcomes[i] is CommitResult result)
            {
                group[i].Completion.TrySetResult(result);
            }
            else
            {
                group[i].Completion.TrySetException((Exception)outcomes[i]!);
            }
        }

        _deferred.AddRange(group.Skip(decided));
        if (state.Head >= plan.FirstPosition)
        {
            _onAppended();
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

        _connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return _connection;
    }

    private async Task DropBrokenConnectionAsync(Exception error)
    {
        if (_connection is null || !PostgresErrors.IsConnectionLoss(error))
        {
            return;
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _connection = null;
    }

    internal sealed record PendingCommit(BatchOperation[] Operations, TaskCompletionSource<CommitResult> Completion, CancellationToken CancellationToken);
}
