using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    // The best plan of a look-up such as "event_id = ANY($1)" depends on the table's size and the
    // array's: a generic plan, made once while a table is small, would stay a sequential scan as it
    // grows. So the transactions that look rows up plan every statement for its values.
    private const string CustomPlans = "SELECT set_config('plan_cache_mode', 'force_custom_plan', true)";

    /// <summary>
    /// Takes the head lock and reads what the group's batches will check, in one round trip. Only
    /// the look-ups the group needs are sent: an append-only group reads the head, its streams and
    /// its event ids, and nothing of snapshots, states, checkpoints or queues.
    /// </summary>
    private async Task<LoadedGroup> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingCommit> group)
    {
        var keys = new GroupKeys();
        foreach (var pending in group)
        {
            keys.Add(pending.Operations);
        }

        var state = new StoredState();
        string? transactionId = null;
        var s = _schema;
        await using var batch = new NpgsqlBatch(connection, transaction);

        // Each reader takes one row of its statement's result; false skips the rest of that result.
        var readers = new List<Func<NpgsqlDataReader, bool>>();
        void Query(string sql, Func<NpgsqlDataReader, bool> read, params object[] parameters)
        {
            batch.Add(sql, parameters);
            readers.Add(read);
        }

        Query(CustomPlans, _ => false);
        Query(_statements.LockHead, r => { state.Head = r.GetInt64(0); return true; });
        if (group.Count == 1 && keys.HasSqlWork)
        {
            Query("SELECT txid_current()::text", r => { transactionId = r.GetString(0); return true; });
        }

        if (keys.Enqueues)
        {
            Query($"SELECT value FROM {s}.counters WHERE name = 'queue_sequence'", r => { state.QueueSequence = r.GetInt64(0); return true; });
        }

        if (keys.Streams.Count > 0)
        {
            Query(
                _statements.ReadStreams,
                r => { state.Streams[StreamName.Parse(r.GetString(0))] = new StreamHead(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetBoolean(4)); return true; },
                (object)Values(keys.Streams));
        }

        if (keys.EventIds.Count > 0)
        {
            Query(
                _statements.FindEventIds,
                r => { state.EventIds[r.GetGuid(0)] = new AppendReplay.StoredEvent(StreamName.Parse(r.GetString(1)), r.GetInt64(2), r.GetInt64(3)); return true; },
                keys.EventIds.ToArray());
        }

        if (keys.Snapshots.Count > 0)
        {
            Query($"SELECT stream, revision FROM {s}.snapshots WHERE stream = ANY($1)", r => { state.SnapshotRevisions[StreamName.Parse(r.GetString(0))] = r.GetInt64(1); return true; }, (object)Values(keys.Snapshots));
        }

        if (keys.States.Count > 0)
        {
            Query($"SELECT key, version FROM {s}.states WHERE key = ANY($1)", r => { state.StateVersions[StreamName.Parse(r.GetString(0))] = r.GetInt64(1); return true; }, (object)Values(keys.States));
        }

        if (keys.Checkpoints.Count > 0)
        {
            Query($"SELECT consumer, position FROM {s}.checkpoints WHERE consumer = ANY($1)", r => { state.Checkpoints[r.GetString(0)] = r.GetInt64(1); return true; }, (object)keys.Checkpoints.ToArray());
        }

        if (keys.Messages.Count > 0)
        {
            Query(
                $"SELECT m.queue, m.message_id, m.revision FROM {s}.queue_messages m JOIN unnest($1::text[], $2::uuid[]) AS k(queue, message_id) ON m.queue = k.queue AND m.message_id = k.message_id",
                r => { state.MessageRevisions[new MessageKey(r.GetString(0), r.GetGuid(1))] = r.GetInt64(2); return true; },
                keys.Messages.Select(m => m.Queue).ToArray(),
                keys.Messages.Select(m => m.MessageId).ToArray());
        }

        foreach (var condition in keys.Conditions)
        {
            var command = new NpgsqlBatchCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = condition.AfterPosition });
            var (sql, exact) = PostgresLogQueries.LatestMatching(s, condition.Filter, command.Parameters);
            command.CommandText = sql;
            batch.BatchCommands.Add(command);
            readers.Add(r =>
            {
                if (r.IsDBNull(0) || !(exact || condition.Filter.Matches(StreamName.Parse(r.GetString(1)), r.GetString(2), TagsJson.Decode(r.IsDBNull(3) ? null : r.GetString(3)))))
                {
                    return true;
                }

                // Rows come newest first: the first match is the latest.
                state.ConditionConflicts[condition] = r.GetInt64(0);
                return false;
            });
        }

        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        for (var i = 0; i < readers.Count; i++)
        {
            if (i > 0)
            {
                await reader.NextResultAsync().ConfigureAwait(false);
            }

            while (await reader.ReadAsync().ConfigureAwait(false) && readers[i](reader))
            {
            }
        }

        return new LoadedGroup(keys, state, transactionId);
    }

    private static string[] Values(IReadOnlyCollection<StreamName> names)
    {
        var values = new string[names.Count];
        var i = 0;
        foreach (var name in names)
        {
            values[i++] = name.Value;
        }

        return values;
    }

    /// <summary>What a group checks, what the database holds of it, and, for a batch whose SQL work runs alone, the transaction's id.</summary>
    private sealed record LoadedGroup(GroupKeys Keys, StoredState State, string? TransactionId);
}
