using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

internal sealed partial class PostgresWriter
{
    /// <summary>Adds to a batch the statements that write the net effect of the group's successful batches.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="writes">The decided group's net effect.</param>
    /// <param name="writeQueueSequence">Whether the group read the queue sequence (it enqueues), so it writes it back.</param>
    /// <param name="headWritten">Whether the batch already writes the head row (the fast path's guard does).</param>
    private void AddWrites(NpgsqlBatch batch, GroupWrites writes, bool writeQueueSequence, bool headWritten = false)
    {
        var s = _schema;
        foreach (var (stream, cutoff) in writes.StoredEventCutoffs)
        {
            batch.Add(_statements.DeleteStoredEvents, stream.Value, cutoff, writes.FirstPosition);
        }

        AddEvents(batch, writes.Events);
        AddStreamRows(batch, writes.Streams);
        WriteVersionedRows(batch, "snapshots", "stream", "revision", writes.Snapshots, writes.Timestamp, static save => (save.Revision, save.Type, save.Data));
        WriteVersionedRows(batch, "states", "key", "version", writes.States, writes.Timestamp, static save => (save.Version, save.Type, save.Data));
        if (writes.Checkpoints.Count > 0)
        {
            var consumers = new string[writes.Checkpoints.Count];
            var positions = new long[consumers.Length];
            var i = 0;
            foreach (var (consumer, position) in writes.Checkpoints)
            {
                consumers[i] = consumer;
                positions[i++] = position;
            }

            batch.Add(_statements.UpsertCheckpoints, consumers, positions);
        }

        WriteMessages(batch, writes);
        if (writeQueueSequence)
        {
            batch.Add($"UPDATE {s}.counters SET value = $1 WHERE name = 'queue_sequence'", writes.QueueSequence);
        }

        // Written by every commit, appending or not, so a new version of the head row (its xmin)
        // tells the fast path of any other writer's commit since its own.
        if (!headWritten)
        {
            batch.Add(_statements.WriteHead, writes.Head);
        }

        if (writes.Appended)
        {
            batch.Add(ListenerGate.Notify, PostgresEventStore.Channel(_schema), writes.Head.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    /// <summary>Inserts the group's events in one statement, one array per column.</summary>
    private void AddEvents(NpgsqlBatch batch, IReadOnlyList<NewEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var positions = new long[events.Count];
        var ids = new Guid[events.Count];
        var streams = new string[events.Count];
        var revisions = new long[events.Count];
        var types = new string[events.Count];
        var data = new byte[events.Count][];
        var metadata = new string?[events.Count];
        var timestamps = new long[events.Count];
        var tags = new string?[events.Count];
        List<string>? tagValues = null;
        List<long>? tagPositions = null;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            positions[i] = e.Position;
            ids[i] = e.Event.EventId;
            streams[i] = e.Stream.Value;
            revisions[i] = e.Revision;
            types[i] = e.Event.Type;
            data[i] = e.Event.Data.ToArray();
            metadata[i] = MetadataJson.Encode(e.Event.Metadata);
            timestamps[i] = e.Timestamp.UtcTicks;
            tags[i] = TagsJson.Encode(e.Event.Tags);
            foreach (var tag in e.Event.Tags)
            {
                (tagValues ??= []).Add(tag);
                (tagPositions ??= []).Add(e.Position);
            }
        }

        batch.Add(_statements.InsertEvents, positions, ids, streams, revisions, types, data, metadata, timestamps, tags);
        if (tagValues is not null)
        {
            batch.Add(_statements.InsertEventTags, tagValues.ToArray(), tagPositions!.ToArray());
        }
    }

    /// <summary>
    /// Writes the rows of the streams the group created, revived, truncated or deleted. A plain append leaves its stream's
    /// row alone: the stream's newest event gives its last revision and position (see <see cref="StreamRows"/>).
    /// </summary>
    private void AddStreamRows(NpgsqlBatch batch, IReadOnlyDictionary<StreamName, StreamWrite> writes)
    {
        var count = 0;
        foreach (var (_, write) in writes)
        {
            count += write.AppendedOnly ? 0 : 1;
        }

        if (count == 0)
        {
            return;
        }

        var streams = new string[count];
        var first = new long[count];
        var last = new long[count];
        var positions = new long[count];
        var deleted = new bool[count];
        var i = 0;
        foreach (var (stream, write) in writes)
        {
            if (!write.AppendedOnly)
            {
                streams[i] = stream.Value;
                (first[i], last[i], positions[i], deleted[i]) = write.Head;
                i++;
            }
        }

        batch.Add(_statements.UpsertStreams, streams, first, last, positions, deleted);
    }

    /// <summary>Writes the net change of snapshots or durable states: deletes, then upserts.</summary>
    private void WriteVersionedRows<T>(
        NpgsqlBatch batch,
        string table,
        string key,
        string version,
        IReadOnlyDictionary<StreamName, T?> writes,
        DateTimeOffset timestamp,
        Func<T, (long Version, string Type, ReadOnlyMemory<byte> Data)> row)
        where T : class
    {
        if (writes.Count == 0)
        {
            return;
        }

        var deletes = new List<string>();
        var keys = new List<string>();
        var versions = new List<long>();
        var types = new List<string>();
        var data = new List<byte[]>();
        foreach (var (name, save) in writes)
        {
            if (save is null)
            {
                deletes.Add(name.Value);
                continue;
            }

            var (v, type, bytes) = row(save);
            keys.Add(name.Value);
            versions.Add(v);
            types.Add(type);
            data.Add(bytes.ToArray());
        }

        if (deletes.Count > 0)
        {
            batch.Add($"DELETE FROM {_schema}.{table} WHERE {key} = ANY($1)", (object)deletes.ToArray());
        }

        if (keys.Count > 0)
        {
            var ticks = new long[keys.Count];
            Array.Fill(ticks, timestamp.UtcTicks);
            batch.Add(
                $"""
                INSERT INTO {_schema}.{table} ({key}, {version}, type, data, timestamp) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bytea[], $5::bigint[])
                ON CONFLICT ({key}) DO UPDATE SET {version} = excluded.{version}, type = excluded.type, data = excluded.data, timestamp = excluded.timestamp
                """,
                keys.ToArray(),
                versions.ToArray(),
                types.ToArray(),
                data.ToArray(),
                ticks);
        }
    }

    private void WriteMessages(NpgsqlBatch batch, GroupWrites writes)
    {
        var s = _schema;
        foreach (var (key, write) in writes.Messages)
        {
            if (write.ExistedBefore && write.Update is null)
            {
                batch.Add($"DELETE FROM {s}.queue_messages WHERE queue = $1 AND message_id = $2", key.Queue, key.MessageId);
            }

            if (write.Insert is { } row)
            {
                batch.Add(
                    $"INSERT INTO {s}.queue_messages ({RecordRows.QueueMessageInsertColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                    RecordRows.QueueMessageValues(key, row, key.MessageId));
            }
            else if (write.Update is { } update)
            {
                batch.Add(
                    $"UPDATE {s}.queue_messages SET due_at = $3, failure_count = $4, last_error = $5, revision = $6 WHERE queue = $1 AND message_id = $2",
                    key.Queue, key.MessageId, update.DueAt.UtcTicks, update.FailureCount, (object?)update.LastError ?? DBNull.Value, update.Revision);
            }
        }
    }
}
