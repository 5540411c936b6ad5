using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

internal sealed partial class SqliteWriter
{
    private const int SqliteConstraint = 19;

    private readonly WriterCommands _commands;

    // The writer is the file's only writer: stream rows it has read or written stay true until a rollback.
    // Beyond this many streams the cache starts again from empty, so memory stays bounded however many streams are
    // written over time; a forgotten stream costs one read of its row.
    private const int MaxCachedStreams = 65_536;
    private readonly Dictionary<string, StreamRow?> _streamRows = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies one batch inside the open savepoint; throws an <see cref="AnnalsException"/> when an
    /// expectation fails or a SQL work throws, and the caller rolls the savepoint back.
    /// </summary>
    private CommitResult Apply(BatchOperation[] operations, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Conditions first: they judge the store as it was before this batch.
        foreach (var operation in operations)
        {
            if (operation is AppendConditionOperation condition && LatestMatchingAfter(condition.Filter, condition.AfterPosition) is { } conflict)
            {
                throw new AppendConditionFailedException(condition.Filter, condition.AfterPosition, conflict);
            }
        }

        // Stream operations next: snapshot checks count the batch's own appends.
        var appends = new List<AppendResult>();
        var replayed = false;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendOperation append:
                    appends.Add(Append(append, now, ref replayed));
                    break;
                case TruncateStreamOperation truncate:
                    Truncate(truncate);
                    break;
                case DeleteStreamOperation delete:
                    Delete(delete);
                    break;
            }
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case SaveSnapshotOperation save:
                    SaveSnapshot(save, now);
                    break;
                case DeleteSnapshotOperation delete:
                    Execute(_commands.DeleteSnapshot, delete.Stream.Value);
                    break;
                case SaveStateOperation save:
                    SaveState(save, now);
                    break;
                case DeleteStateOperation delete:
                    var version = Scalar(_commands.SelectStateVersion, delete.Key.Value) ?? 0;
                    if (version != delete.ExpectedVersion)
                    {
                        throw new WrongExpectedVersionException(delete.Key, delete.ExpectedVersion, version);
                    }

                    Execute(_commands.DeleteState, delete.Key.Value);
                    break;
                case SaveCheckpointOperation checkpoint:
                    var stored = Scalar(_commands.SelectCheckpoint, checkpoint.Consumer);
                    if (stored != checkpoint.ExpectedPosition)
                    {
                        throw new CheckpointConflictException(checkpoint.Consumer, checkpoint.ExpectedPosition, stored);
                    }

                    Execute(_commands.UpsertCheckpoint, checkpoint.Consumer, checkpoint.Position);
                    break;
                case EnqueueOperation enqueue:
                    Enqueue(enqueue, now);
                    break;
                case RescheduleOperation reschedule:
                    CheckMessage(reschedule.Queue, reschedule.MessageId, reschedule.ExpectedRevision);
                    Execute(_commands.RescheduleMessage, reschedule.DueAt.UtcTicks, reschedule.FailureCount, (object?)reschedule.LastError ?? DBNull.Value, reschedule.Queue, reschedule.MessageId.ToByteArray());
                    break;
                case RemoveMessageOperation remove:
                    CheckMessage(remove.Queue, remove.MessageId, remove.ExpectedRevision);
                    Execute(_commands.DeleteMessage, remove.Queue, remove.MessageId.ToByteArray());
                    break;
            }
        }

        // Works last, once every expectation of the batch holds, so a batch that fails a check never runs its SQL.
        // A replayed batch (its events are stored: it committed before, works and all) runs none again.
        if (!replayed)
        {
            foreach (var operation in operations)
            {
                if (operation is SqlWorkOperation work)
                {
                    RunSqlWork(work, cancellationToken);
                }
            }
        }

        return new CommitResult(appends);
    }

    private AppendResult Append(AppendOperation append, DateTimeOffset now, ref bool replayed)
    {
        var stream = append.Stream.Value;
        var row = ReadStream(stream);
        var current = row is { Deleted: false } r ? r.Last : (long?)null;
        if (!append.Expected.IsSatisfiedBy(current))
        {
            // A replay is judged before the expectation, but only a failing append needs the look-up.
            if (FindEvent(append.Events[0].EventId) is not null && AppendReplay.Find(append, FindEvent) is { } replay)
            {
                replayed = true;
                return replay;
            }

            throw new WrongExpectedRevisionException(append.Stream, append.Expected, current);
        }

        var firstRevision = (row?.Last ?? -1) + 1;
        var firstPosition = _head + 1;
        var insert = _commands.InsertEvent;
        var parameters = insert.Parameters;
        parameters["$stream"].Value = stream;
        parameters["$timestamp"].Value = now.UtcTicks;
        for (var i = 0; i < append.Events.Count; i++)
        {
            var e = append.Events[i];
            parameters["$position"].Value = firstPosition + i;
            parameters["$id"].Value = e.EventId.ToByteArray();
            parameters["$revision"].Value = firstRevision + i;
            parameters["$type"].Value = e.Type;
            parameters["$data"].Value = e.Data.ToArray();
            parameters["$metadata"].Value = (object?)MetadataJson.Encode(e.Metadata) ?? DBNull.Value;
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException error) when (error.SqliteErrorCode == SqliteConstraint)
            {
                if (i == 0 && AppendReplay.Find(append, FindEvent) is { } replay)
                {
                    return replay;
                }

                // A later event of the append reuses a stored id: report the first such id.
                var reused = append.Events.Select(x => (x.EventId, Stored: FindEvent(x.EventId))).First(x => x.Stored is { } s && s.Position < firstPosition);
                throw new DuplicateEventIdException(reused.EventId, append.Stream, reused.Stored!.Value.Stream, reused.Stored.Value.Revision);
            }
        }

        var lastRevision = firstRevision + append.Events.Count - 1;
        _head = firstPosition + append.Events.Count - 1;
        SaveStream(stream, row?.First ?? 0, lastRevision, _head, false);
        return new AppendResult(append.Stream, firstRevision, lastRevision, firstPosition, _head);
    }

    private void Truncate(TruncateStreamOperation truncate)
    {
        var row = ReadStream(truncate.Stream.Value);
        var current = row is { Deleted: false } r ? r.Last : (long?)null;
        if (!truncate.Expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(truncate.Stream, truncate.Expected, current);
        }

        if (row is not { Deleted: false } live)
        {
            return;
        }

        Execute(_commands.TruncateEvents, truncate.Stream.Value, truncate.BeforeRevision);
        var first = Math.Max(live.First, Math.Min(truncate.BeforeRevision, live.Last + 1));
        SaveStream(truncate.Stream.Value, first, live.Last, live.Position, false);
    }

    private void Delete(DeleteStreamOperation delete)
    {
        var row = ReadStream(delete.Stream.Value);
        var current = row is { Deleted: false } r ? r.Last : (long?)null;
        if (!delete.Expected.IsSatisfiedBy(current))
        {
            throw new WrongExpectedRevisionException(delete.Stream, delete.Expected, current);
        }

        if (row is not { Deleted: false } live)
        {
            return;
        }

        Execute(_commands.DeleteEvents, delete.Stream.Value);
        Execute(_commands.DeleteSnapshot, delete.Stream.Value);
        SaveStream(delete.Stream.Value, live.Last + 1, live.Last, live.Position, true);
    }

    private void SaveSnapshot(SaveSnapshotOperation save, DateTimeOffset now)
    {
        var row = ReadStream(save.Stream.Value);
        var streamRevision = row is { Deleted: false } r ? r.Last : (long?)null;
        var stored = Scalar(_commands.SelectSnapshotRevision, save.Stream.Value);
        if (streamRevision is null || save.Revision > streamRevision || save.Revision <= stored)
        {
            throw new SnapshotConflictException(save.Stream, save.Revision, stored, streamRevision);
        }

        Execute(_commands.UpsertSnapshot, save.Stream.Value, save.Revision, save.Type, save.Data.ToArray(), now.UtcTicks);
    }

    private void SaveState(SaveStateOperation save, DateTimeOffset now)
    {
        var version = Scalar(_commands.SelectStateVersion, save.Key.Value) ?? 0;
        if (version != save.Version - 1)
        {
            throw new WrongExpectedVersionException(save.Key, save.Version - 1, version);
        }

        Execute(_commands.UpsertState, save.Key.Value, save.Version, save.Type, save.Data.ToArray(), now.UtcTicks);
    }

    private void Enqueue(EnqueueOperation enqueue, DateTimeOffset now)
    {
        var id = enqueue.MessageId.ToByteArray();
        if (Scalar(_commands.SelectMessageRevision, enqueue.Queue, id) is { } existing)
        {
            throw new QueueMessageConflictException(enqueue.Queue, enqueue.MessageId, null, existing);
        }

        Execute(_commands.InsertMessage, enqueue.Queue, id, enqueue.Type, enqueue.Data.ToArray(), (object?)MetadataJson.Encode(enqueue.Metadata) ?? DBNull.Value, enqueue.DueAt.UtcTicks, now.UtcTicks, ++_queueSequence);
    }

    private void CheckMessage(string queue, Guid messageId, long expectedRevision)
    {
        var revision = Scalar(_commands.SelectMessageRevision, queue, messageId.ToByteArray());
        if (revision != expectedRevision)
        {
            throw new QueueMessageConflictException(queue, messageId, expectedRevision, revision);
        }
    }

    private long? LatestMatchingAfter(EventFilter filter, long afterPosition)
    {
        using var command = _connection.CreateCommand();
        var where = SqliteFilter.Where(filter, command);
        command.CommandText = $"SELECT position, stream, type FROM events WHERE position > $after{(where is null ? string.Empty : " AND " + where)} ORDER BY position DESC{(where is null && !filter.MatchesAll ? string.Empty : " LIMIT 1")};";
        command.Parameters.AddWithValue("$after", afterPosition);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (where is not null || filter.MatchesAll || filter.Matches(StreamName.Parse(reader.GetString(1)), reader.GetString(2)))
            {
                return reader.GetInt64(0);
            }
        }

        return null;
    }

    private AppendReplay.StoredEvent? FindEvent(Guid eventId)
    {
        var command = _commands.SelectEventById;
        command.Parameters["$id"].Value = eventId.ToByteArray();
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AppendReplay.StoredEvent(StreamName.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    private StreamRow? ReadStream(string stream)
    {
        if (_streamRows.TryGetValue(stream, out var cached))
        {
            return cached;
        }

        var row = ReadStreamRow(stream);
        _streamRows[stream] = row;
        return row;
    }

    private void SaveStream(string stream, long first, long last, long position, bool deleted)
    {
        Execute(_commands.UpsertStream, stream, first, last, position, deleted ? 1 : 0);
        _streamRows[stream] = new StreamRow(first, last, position, deleted);
    }

    private StreamRow? ReadStreamRow(string stream)
    {
        var command = _commands.SelectStream;
        command.Parameters["$stream"].Value = stream;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StreamRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) != 0) : null;
    }

    private static long? Scalar(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        return command.ExecuteScalar() is long value ? value : null;
    }

    private static void Execute(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private readonly record struct StreamRow(long First, long Last, long Position, bool Deleted);
}
