using Npgsql;
using NpgsqlTypes;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    /// <summary>Takes the head lock and reads everything the group's batches will check, in one round trip.</summary>
    private async Task<GroupState> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PendingCommit> group)
    {
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var eventIds = new HashSet<Guid>();
        var snapshots = new HashSet<string>(StringComparer.Ordinal);
        var states = new HashSet<string>(StringComparer.Ordinal);
        var checkpoints = new HashSet<string>(StringComparer.Ordinal);
        var messages = new HashSet<(string, Guid)>();
        var conditions = new List<AppendConditionOperation>();
        foreach (var operation in group.SelectMany(p => p.Operations))
        {
            switch (operation)
            {
                case AppendOperation append:
                    streams.Add(append.Stream.Value);
                    eventIds.UnionWith(append.Events.Select(e => e.EventId));
                    break;
                case TruncateStreamOperation truncate:
                    streams.Add(truncate.Stream.Value);
                    break;
                case DeleteStreamOperation delete:
                    streams.Add(delete.Stream.Value);
                    snapshots.Add(delete.Stream.Value);
                    break;
                case SaveSnapshotOperation save:
                    streams.Add(save.Stream.Value);
                    snapshots.Add(save.Stream.Value);
                    break;
                case DeleteSnapshotOperation delete:
                    snapshots.Add(delete.Stream.Value);
                    break;
                case SaveStateOperation save:
                    states.Add(save.Key.Value);
                    break;
                case DeleteStateOperation delete:
                    states.Add(delete.Key.Value);
                    break;
                case SaveCheckpointOperation save:
                    checkpoints.Add(save.Consumer);
                    break;
                case EnqueueOperation enqueue:
                    messages.Add((enqueue.Queue, enqueue.MessageId));
                    break;
                case RescheduleOperation reschedule:
                    messages.Add((reschedule.Queue, reschedule.MessageId));
                    break;
                case RemoveMessageOperation remove:
                    messages.Add((remove.Queue, remove.MessageId));
                    break;
                case AppendConditionOperation condition:
                    conditions.Add(condition);
                    break;
            }
        }

        var s = _schema;
        await using var batch = new NpgsqlBatch(connection, transaction);
        Add(batch, $"SELECT value FROM {s}.counters WHERE name = 'head' FOR UPDATE");
        Add(batch, $"SELECT value FROM {s}.counters WHERE name = 'queue_sequence'");
        Add(batch, $"SELECT stream, first_revision, last_revision, last_position, deleted FROM {s}.streams WHERE stream = ANY($1)", (object)streams.ToArray());
        Add(batch, $"SELECT event_id, stream, revision, position FROM {s}.events WHERE event_id = ANY($1)", eventIds.ToArray());
        Add(batch, $"SELECT stream, revision FROM {s}.snapshots WHERE stream = ANY($1)", (object)snapshots.ToArray());
        Add(batch, $"SELECT key, version FROM {s}.states WHERE key = ANY($1)", (object)states.ToArray());
        Add(batch, $"SELECT consumer, position FROM {s}.checkpoints WHERE consumer = ANY($1)", (object)checkpoints.ToArray());
        Add(batch, $"SELECT m.queue, m.message_id, m.revision FROM {s}.queue_messages m JOIN unnest($1::text[], $2::uuid[]) AS k(queue, message_id) ON m.queue = k.queue AND m.message_id = k.message_id", messages.Select(m => m.Item1).ToArray(), messages.Select(m => m.Item2).ToArray());
        var exact = new List<bool>();
        foreach (var condition in conditions)
        {
            var command = new NpgsqlBatchCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = condition.AfterPosition });
            var where = PostgresFilter.Where(condition.Filter, command.Parameters);
            exact.Add(where is not null || condition.Filter.MatchesAll);
            command.CommandText = where is not null || condition.Filter.MatchesAll
                ? $"SELECT max(position), NULL, NULL FROM {s}.events WHERE position > $1{(where is null ? string.Empty : " AND " + where)}"
                : $"SELECT position, stream, type FROM {s}.events WHERE position > $1 ORDER BY position DESC";
            batch.BatchCommands.Add(command);
        }

        var state = new GroupState();
        await using var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        state.Head = reader.GetInt64(0);
        await reader.NextResultAsync().ConfigureAwait(false);
        await reader.ReadAsync().ConfigureAwait(false);
        state.QueueSequence = reader.GetInt64(0);
        await reader.NextResultAsync().ConfigureAwait(false);
        foreach (var stream in streams)
        {
            state.Streams[stream] = null;
        }

        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.Streams[reader.GetString(0)] = new StreamRow(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetBoolean(4));
        }

        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.EventIds[reader.GetGuid(0)] = new AppendReplay.StoredEvent(StreamName.Parse(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3));
        }

        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.SnapshotRevisions[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.StateVersions[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.Checkpoints[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            state.MessageRevisions[(reader.GetString(0), reader.GetGuid(1))] = reader.GetInt64(2);
        }

        for (var i = 0; i < conditions.Count; i++)
        {
            await reader.NextResultAsync().ConfigureAwait(false);
            long? latest = null;
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (reader.IsDBNull(0))
                {
                    continue;
                }

                if (exact[i] || conditions[i].Filter.Matches(StreamName.Parse(reader.GetString(1)), reader.GetString(2)))
                {
                    latest = reader.GetInt64(0);
                    break;
                }
            }

            state.ConditionConflicts[conditions[i]] = latest;
        }

        return state;
    }

    /// <summary>Writes the net effect of the group's successful batches in one round trip.</summary>
    private async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, GroupPlan plan, GroupState state)
    {
        var s = _schema;
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (stream, cutoff) in plan.StoredEventCutoffs)
        {
            Add(batch, $"DELETE FROM {s}.events WHERE stream = $1 AND revision < $2 AND position < $3", stream, cutoff, plan.FirstPosition);
        }

        var events = plan.NewEvents.Values.SelectMany(e => e).OrderBy(e => e.Position).ToList();
        if (events.Count > 0)
        {
            Add(
                batch,
                $"INSERT INTO {s}.events (position, event_id, stream, revision, type, data, metadata, timestamp) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], $8::bigint[])",
                events.Select(e => e.Position).ToArray(),
                events.Select(e => e.EventId).ToArray(),
                events.Select(e => e.Stream.Value).ToArray(),
                events.Select(e => e.Revision).ToArray(),
                events.Select(e => e.Type).ToArray(),
                events.Select(e => e.Data).ToArray(),
                events.Select(e => e.Metadata as string).ToArray(),
                events.Select(e => e.Timestamp).ToArray());
        }

        if (plan.StreamWrites.Count > 0)
        {
            var rows = plan.StreamWrites.ToList();
            Add(
                batch,
                $"""
                INSERT INTO {s}.streams (stream, first_revision, last_revision, last_position, deleted)
                SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::boolean[])
                ON CONFLICT (stream) DO UPDATE SET first_revision = excluded.first_revision, last_revision = excluded.last_revision,
                    last_position = excluded.last_position, deleted = excluded.deleted
                """,
                rows.Select(r => r.Key).ToArray(),
                rows.Select(r => r.Value.First).ToArray(),
                rows.Select(r => r.Value.Last).ToArray(),
                rows.Select(r => r.Value.Position).ToArray(),
                rows.Select(r => r.Value.Deleted).ToArray());
        }

        WriteVersionedRows(batch, "snapshots", "stream", "revision", plan.SnapshotWrites);
        WriteVersionedRows(batch, "states", "key", "version", plan.StateWrites);
        if (plan.CheckpointWrites.Count > 0)
        {
            var rows = plan.CheckpointWrites.ToList();
            Add(
                batch,
                $"INSERT INTO {s}.checkpoints (consumer, position) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position",
                rows.Select(r => r.Key).ToArray(),
                rows.Select(r => r.Value).ToArray());
        }

        WriteMessages(batch, plan);
        Add(batch, $"UPDATE {s}.counters SET value = CASE name WHEN 'head' THEN $1 ELSE $2 END WHERE name IN ('head', 'queue_sequence')", state.Head, state.QueueSequence);
        if (state.Head >= plan.FirstPosition)
        {
            Add(batch, "SELECT pg_notify($1, $2)", PostgresEventStore.Channel(_schema), state.Head.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Writes the net change of snapshots or durable states: deletes, then upserts.</summary>
    private void WriteVersionedRows(NpgsqlBatch batch, string table, string key, string version, Dictionary<string, VersionedRow?> writes)
    {
        var deletes = writes.Where(w => w.Value is null).Select(w => w.Key).ToArray();
        if (deletes.Length > 0)
        {
            Add(batch, $"DELETE FROM {_schema}.{table} WHERE {key} = ANY($1)", (object)deletes);
        }

        var saves = writes.Where(w => w.Value is not null).Select(w => (w.Key, Row: w.Value!)).ToList();
        if (saves.Count > 0)
        {
            Add(
                batch,
                $"""
                INSERT INTO {_schema}.{table} ({key}, {version}, type, data, timestamp) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::bigint[])
                ON CONFLICT ({key}) DO UPDATE SET {version} = excluded.{version}, type = excluded.type, data = excluded.data, timestamp = excluded.timestamp
                """,
                saves.Select(r => r.Key).ToArray(),
                saves.Select(r => r.Row.Version).ToArray(),
                saves.Select(r => r.Row.Type).ToArray(),
                saves.Select(r => r.Row.Data).ToArray(),
                saves.Select(r => r.Row.Timestamp).ToArray());
        }
    }

    private void WriteMessages(NpgsqlBatch batch, GroupPlan plan)
    {
        var s = _schema;
        foreach (var ((queue, id), write) in plan.MessageWrites)
        {
            if (write.ExistedBefore && write.Update is null)
            {
                Add(batch, $"DELETE FROM {s}.queue_messages WHERE queue = $1 AND message_id = $2", queue, id);
            }

            if (write.Insert is { } row)
            {
                Add(
                    batch,
                    $"""
                    INSERT INTO {s}.queue_messages (queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    """,
                    queue, id, row.Type, row.Data, row.Metadata, row.DueAt, row.FailureCount, (object?)row.LastError ?? DBNull.Value, row.Revision, row.EnqueuedAt, row.Sequence);
            }
            else if (write.Update is { } update)
            {
                Add(
                    batch,
                    $"UPDATE {s}.queue_messages SET due_at = $3, failure_count = $4, last_error = $5, revision = $6 WHERE queue = $1 AND message_id = $2",
                    queue, id, update.DueAt, update.FailureCount, (object?)update.LastError ?? DBNull.Value, update.Revision);
            }
        }
    }

    /// <remarks>Pass a single array argument cast to <see cref="object"/>: a string[] alone would be taken as the parameter list itself.</remarks>
    private static void Add(NpgsqlBatch batch, string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(value switch
            {
                string[] strings => new NpgsqlParameter { Value = strings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        batch.BatchCommands.Add(command);
    }
}
