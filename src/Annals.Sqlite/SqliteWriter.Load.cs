using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

internal sealed partial class SqliteWriter
{
    // The writer is the file's only writer: stream heads it has read or written stay true until a rollback.
    // Beyond this many streams the cache starts again from empty, so memory stays bounded however many streams are
    // written over time; a forgotten stream costs one read of its row.
    private const int MaxCachedStreams = 65_536;
    private readonly Dictionary<StreamName, StreamHead?> _streamRows = [];

    /// <summary>
    /// Reads what the group's batches check, inside the open transaction: each look-up a prepared statement on a key,
    /// and only the kinds the group needs. The head and the queue sequence are the writer's own: it is the file's only writer.
    /// Event ids, and the states and messages the group creates (<see cref="GroupKeys.CreatedStates"/>), only when
    /// <paramref name="lookUpAll"/>: the planner then sees every stored one.
    /// </summary>
    private StoredState Load(GroupKeys keys, bool lookUpAll)
    {
        var state = new StoredState { Head = _head, QueueSequence = _queueSequence };
        foreach (var stream in keys.Streams)
        {
            if (ReadStream(stream) is { } head)
            {
                state.Streams[stream] = head;
            }
        }

        foreach (var id in lookUpAll ? keys.EventIds : [])
        {
            if (FindEvent(id) is { } stored)
            {
                state.EventIds[id] = stored;
            }
        }

        foreach (var stream in keys.Snapshots)
        {
            if (Scalar(_commands.SelectSnapshotRevision, stream.Value) is { } revision)
            {
                state.SnapshotRevisions[stream] = revision;
            }
        }

        foreach (var key in keys.States)
        {
            if ((lookUpAll || !keys.CreatedStates.Contains(key)) && Scalar(_commands.SelectStateVersion, key.Value) is { } version)
            {
                state.StateVersions[key] = version;
            }
        }

        foreach (var consumer in keys.Checkpoints)
        {
            if (Scalar(_commands.SelectCheckpoint, consumer) is { } position)
            {
                state.Checkpoints[consumer] = position;
            }
        }

        foreach (var message in keys.Messages)
        {
            if ((lookUpAll || !keys.CreatedMessages.Contains(message)) && Scalar(_commands.SelectMessageRevision, message.Queue, message.MessageId.ToByteArray()) is { } revision)
            {
                state.MessageRevisions[message] = revision;
            }
        }

        foreach (var condition in keys.Conditions)
        {
            if (LatestMatchingAfter(condition.Filter, condition.AfterPosition) is { } conflict)
            {
                state.ConditionConflicts[condition] = conflict;
            }
        }

        return state;
    }

    /// <summary>Keeps what a decided round leaves true once written: the head, the queue sequence, the streams' heads.</summary>
    private void Remember(GroupKeys keys, CommitPlanner planner)
    {
        _head = planner.Writes.Head;
        _queueSequence = planner.Writes.QueueSequence;
        foreach (var stream in keys.Streams)
        {
            _streamRows[stream] = planner.State.Streams.TryGetValue(stream, out var head) ? head : null;
        }
    }

    private long? LatestMatchingAfter(EventFilter filter, long afterPosition)
    {
        using var command = _connection.CreateCommand();
        var exact = SqliteLogQueries.PrepareLatestMatching(command, filter, afterPosition);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (exact || filter.Matches(StreamName.Parse(reader.GetString(1)), reader.GetString(2), TagsJson.Decode(reader.IsDBNull(3) ? null : reader.GetString(3))))
            {
                return reader.GetInt64(0);
            }
        }

        return null;
    }

    /// <summary>Whether one of the events a batch appends has its id stored.</summary>
    private bool HoldsStoredEventId(BatchOperation[] operations)
    {
        foreach (var operation in operations)
        {
            if (operation.Kind == OperationKind.Append)
            {
                foreach (var e in ((AppendOperation)operation).Events)
                {
                    if (FindEvent(e.EventId) is not null)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private AppendReplay.StoredEvent? FindEvent(Guid eventId)
    {
        var command = _commands.SelectEventById;
        command.Parameters["$id"].Value = eventId.ToByteArray();
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AppendReplay.StoredEvent(StreamName.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2)) : null;
    }

    private StreamHead? ReadStream(StreamName stream)
    {
        if (_streamRows.TryGetValue(stream, out var cached))
        {
            return cached;
        }

        var command = _commands.SelectStream;
        command.Parameters["$stream"].Value = stream.Value;
        StreamHead? head;
        using (var reader = command.ExecuteReader())
        {
            head = reader.Read() ? new StreamHead(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3) != 0) : null;
        }

        _streamRows[stream] = head;
        return head;
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
}
