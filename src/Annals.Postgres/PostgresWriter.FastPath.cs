using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    // After another process's commit made a guard fail, the fast path rests for this many groups,
    // doubled on each further failure, so that contention wastes few round trips.
    private const int MaxFastPathRest = 64;

    private int _fastPathRest;
    private int _fastPathSkips;
    private long _fastPathGroups;
    private long _fastPathFallbacks;

    /// <summary>Groups committed in one round trip.</summary>
    public long FastPathGroups => Interlocked.Read(ref _fastPathGroups);

    /// <summary>Groups whose one round trip failed (a guard, a reused id, a lost connection) and that were redone the general way.</summary>
    public long FastPathFallbacks => Interlocked.Read(ref _fastPathFallbacks);

    /// <summary>
    /// Commits an append-only group (no SQL work, which needs the general way's savepoint) in one round trip, decided from what this writer's last commit
    /// left (<see cref="WriterCache"/>) instead of a load. Head lock, guards, writes and commit go in
    /// one batch, which runs as one implicit transaction: committed when the batch ends, rolled back
    /// when a statement fails. The guards fail it when another writer committed since this one
    /// (the head row has another version) or when a stream taken for new exists; the unique index
    /// on <c>event_id</c> fails it when an id is reused. The group is then redone the general way,
    /// which handles replays, duplicates and conflicts exactly.
    /// </summary>
    /// <returns>Whether the group was committed and its callers completed.</returns>
    private async Task<bool> TryFastPathAsync(List<PendingCommit> group)
    {
        if (_cache is not { Head: { } head, HeadVersion: { } version }
            || _connection is not { State: System.Data.ConnectionState.Open } connection
            || !group.TrueForAll(p => Array.TrueForAll(p.Operations, o => o.Kind == OperationKind.Append)))
        {
            return false;
        }

        if (_fastPathSkips > 0)
        {
            _fastPathSkips--;
            return false;
        }

        var state = new StoredState { Head = head };
        var unknown = new HashSet<StreamName>();
        foreach (var pending in group)
        {
            foreach (AppendOperation append in pending.Operations)
            {
                if (_cache.Find(append.Stream) is { } row)
                {
                    state.Streams[append.Stream] = row;
                }
                else
                {
                    unknown.Add(append.Stream);
                }
            }
        }

        var planner = new CommitPlanner(state, _time.GetUtcNow());
        var results = new CommitResult[group.Count];
        for (var i = 0; i < group.Count; i++)
        {
            // A failed expectation may be the replay of a stored commit, which only a load can tell.
            var decision = planner.Decide(group[i].Operations);
            if (!decision.Succeeded)
            {
                return false;
            }

            results[i] = decision.Result;
        }

        NpgsqlBatchCommand? headGuard = null;
        string newVersion;
        try
        {
            await using var batch = new NpgsqlBatch(connection);

            // Locks the head row, checks that no other writer committed since, and writes the new head.
            headGuard = batch.Add(
                _statements.GuardAndWriteHead,
                head,
                version,
                planner.Writes.Head);
            if (unknown.Count > 0)
            {
                batch.Add(CustomPlans);

                // A statement of its own, so that it reads the streams after the head lock is granted.
                batch.Add(
                    $"SELECT CASE WHEN count(*) = 0 THEN 0 ELSE ('annals: ' || count(*) || ' streams taken for new exist')::int END FROM {_schema}.streams WHERE stream = ANY($1)",
                    (object)Values(unknown));
            }

            AddWrites(batch, planner.Writes, writeQueueSequence: false, headWritten: true);
            newVersion = await ExecuteWritesAsync(batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever failed, the general way redoes the group and tells each caller exactly.
            _cache.Clear();
            Interlocked.Increment(ref _fastPathFallbacks);
            if (e is PostgresException { BatchCommand: { } failed } && ReferenceEquals(failed, headGuard))
            {
                _fastPathRest = Math.Clamp(_fastPathRest * 2, 1, MaxFastPathRest);
                _fastPathSkips = _fastPathRest;
            }

            // After an error from the server the batch is rolled back and the connection is fine. After
            // anything else the outcome is unknown: the general way redoes the group on a new
            // connection, and finds its events stored if the commit went through (a replay).
            if (e is not PostgresException || PostgresErrors.IsConnectionLoss(e))
            {
                await DiscardConnectionAsync().ConfigureAwait(false);
            }

            return false;
        }

        _fastPathRest = 0;
        Interlocked.Increment(ref _fastPathGroups);
        _cache.RememberHead(planner.Writes.Head, newVersion);
        foreach (var (stream, write) in planner.Writes.Streams)
        {
            _cache.RememberStream(stream, write.Head);
        }

        for (var i = 0; i < group.Count; i++)
        {
            group[i].Completion.TrySetResult(results[i]);
        }

        _onAppended();
        return true;
    }
}
