using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    /// <summary>Adds to a batch the statements that write the net effect of the group's successful batches.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="plan">The decided group.</param>
    /// <param name="state">What the group was decided from; its head is the new one.</param>
    /// <param name="headWritten">Whether the batch already writes the head row (the fast path's guard does).</param>
    private void AddWrites(NpgsqlBatch batch, GroupPlan plan, GroupState state, bool headWritten = false)
    {
        var s = _schema;
        foreach (var (stream, cutoff) in plan.StoredEventCutoffs)
        {
            batch.Add($"DELETE FROM {s}.events WHERE stream = $1 AND revision < $2 AND position < $3", stream, cutoff, plan.FirstPosition);
        }

        var events = plan.NewEvents.Values.SelectMany(e => e).OrderBy(e => e.Position).ToList();
        if (events.Count > 0)
        {
            batch.Add(
                _statements.InsertEvents,
                events.Select(e => e.Position).ToArray(),
                events.Select(e => e.EventId).ToArray(),
                events.Select(e => e.Stream.Value).ToArray(),
                events.Select(e => e.Revision).ToArray(),
                events.Select(e => e.Type).ToArray(),
                events.Select(e => e.Data).ToArray(),
                events.Select(e => e.Metadata as string).ToArray(),
                events.Select(e => e.Timestamp).ToArray());
        }

        var streams = plan.StreamRowWrites.ToList();
        if (streams.Count > 0)
        {
            batch.Add(
                _statements.UpsertStreams,
                streams.Select(r => r.Key).ToArray(),
                streams.Select(r => r.Value.First).ToArray(),
                streams.Select(r => r.Value.Last).ToArray(),
                streams.Select(r => r.Value.Position).ToArray(),
                streams.Select(r => r.Value.Deleted).ToArray());
        }

        WriteVersionedRows(batch, "snapshots", "stream", "revision", plan.SnapshotWrites);
        WriteVersionedRows(batch, "states", "key", "version", plan.StateWrites);
        if (plan.CheckpointWrites.Count > 0)
        {
            var rows = plan.CheckpointWrites.ToList();
            batch.Add(
                _statements.UpsertCheckpoints,
                rows.Select(r => r.Key).ToArray(),
                rows.Select(r => r.Value).ToArray());
        }

        WriteMessages(batch, plan);
        if (state.HasQueueSequence)
        {
            batch.Add($"UPDATE {s}.counters SET value = $1 WHERE name = 'queue_sequence'", state.QueueSequence);
        }

        // Written by every commit, appending or not, so a new version of the head row (its xmin)
        // tells the fast path of any other writer's commit since its own.
        if (!headWritten)
        {
            batch.Add(_statements.WriteHead, state.Head);
        }

        if (state.Head >= plan.FirstPosition)
        {
            batch.Add(ListenerGate.Notify, PostgresEventStore.Channel(_schema), state.Head.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Runs a batch of writes to its end and returns the version of the head row it wrote.</summary>
    private static async Task<string> ExecuteWritesAsync(NpgsqlBatch batch)
    {
        string? version = null;
        await using (var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false))
        {
            do
            {
                if (reader.FieldCount == 1 && reader.GetName(0) == WriterStatements.HeadVersionColumn && await reader.ReadAsync().ConfigureAwait(false))
                {
                    version = reader.GetString(0);
                }
            }
            while (await reader.NextResultAsync().ConfigureAwait(false));
        }

        return version ?? throw new InvalidOperationException("The batch did not write the head row.");
    }

    /// <summary>Writes the net change of snapshots or durable states: deletes, then upserts.</summary>
    private void WriteVersionedRows(NpgsqlBatch batch, string table, string key, string version, Dictionary<string, VersionedRow?> writes)
    {
        var deletes = writes.Where(w => w.Value is null).Select(w => w.Key).ToArray();
        if (deletes.Length > 0)
        {
            batch.Add($"DELETE FROM {_schema}.{table} WHERE {key} = ANY($1)", (object)deletes);
        }

        var saves = writes.Where(w => w.Value is not null).Select(w => (w.Key, Row: w.Value!)).ToList();
        if (saves.Count > 0)
        {
            batch.Add(
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
                batch.Add($"DELETE FROM {s}.queue_messages WHERE queue = $1 AND message_id = $2", queue, id);
            }

            if (write.Insert is { } row)
            {
                batch.Add(
                    $"""
                    INSERT INTO {s}.queue_messages (queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                    """,
                    queue, id, row.Type, row.Data, row.Metadata, row.DueAt, row.FailureCount, (object?)row.LastError ?? DBNull.Value, row.Revision, row.EnqueuedAt, row.Sequence);
            }
            else if (write.Update is { } update)
            {
                batch.Add(
                    $"UPDATE {s}.queue_messages SET due_at = $3, failure_count = $4, last_error = $5, revision = $6 WHERE queue = $1 AND message_id = $2",
                    queue, id, update.DueAt, update.FailureCount, (object?)update.LastError ?? DBNull.Value, update.Revision);
            }
        }
    }
}
