using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Sqlite;

internal sealed partial class SqliteWriter
{
    /// <summary>
    /// Writes the net effect of a decided round with the writer's prepared statements: each row the group leaves is
    /// written once, however many of its batches touched it. A state of <paramref name="presumedNew"/> is inserted, not
    /// replaced, so that a stored one fails the write on the table's unique key.
    /// </summary>
    private void Write(GroupWrites writes, IReadOnlySet<StreamName>? presumedNew)
    {
        foreach (var (stream, cutoff) in writes.StoredEventCutoffs)
        {
            // Events the group appends lie at or after its first position and are not stored yet.
            Execute(_commands.DeleteStoredEventTags, stream.Value, cutoff, writes.FirstPosition);
            Execute(_commands.DeleteStoredEvents, stream.Value, cutoff, writes.FirstPosition);
        }

        InsertEvents(writes.Events);
        foreach (var (stream, write) in writes.Streams)
        {
            var head = write.Head;
            Execute(_commands.UpsertStream, stream.Value, head.FirstRevision, head.LastRevision, head.LastPosition, head.Deleted ? 1 : 0);
        }

        var ticks = writes.Timestamp.UtcTicks;
        foreach (var (stream, save) in writes.Snapshots)
        {
            if (save is null)
            {
                Execute(_commands.DeleteSnapshot, stream.Value);
            }
            else
            {
                Execute(_commands.UpsertSnapshot, stream.Value, save.Revision, save.Type, save.Data.ToArray(), ticks);
            }
        }

        foreach (var (key, save) in writes.States)
        {
            if (save is null)
            {
                Execute(_commands.DeleteState, key.Value);
            }
            else
            {
                Execute(presumedNew?.Contains(key) == true ? _commands.InsertState : _commands.UpsertState, key.Value, save.Version, save.Type, save.Data.ToArray(), ticks);
            }
        }

        foreach (var (consumer, position) in writes.Checkpoints)
        {
            Execute(_commands.UpsertCheckpoint, consumer, position);
        }

        WriteMessages(writes.Messages);
    }

    private void InsertEvents(IReadOnlyList<NewEvent> events)
    {
        var insert = _commands.InsertEvent;
        var parameters = insert.Parameters;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            parameters["$position"].Value = e.Position;
            parameters["$id"].Value = e.Event.EventId.ToByteArray();
            parameters["$stream"].Value = e.Stream.Value;
            parameters["$revision"].Value = e.Revision;
            parameters["$type"].Value = e.Event.Type;
            parameters["$data"].Value = e.Event.Data.ToArray();
            parameters["$metadata"].Value = (object?)MetadataJson.Encode(e.Event.Metadata) ?? DBNull.Value;
            parameters["$timestamp"].Value = e.Timestamp.UtcTicks;
            var tags = e.Event.Tags;
            parameters["$tags"].Value = (object?)TagsJson.Encode(tags) ?? DBNull.Value;
            insert.ExecuteNonQuery();
            for (var t = 0; t < tags.Count; t++)
            {
                Execute(_commands.InsertEventTag, tags[t], e.Position);
            }
        }
    }

    private void WriteMessages(IReadOnlyDictionary<MessageKey, MessageWrite> messages)
    {
        foreach (var (key, write) in messages)
        {
            var id = key.MessageId.ToByteArray();
            if (write.ExistedBefore && write.Update is null)
            {
                Execute(_commands.DeleteMessage, key.Queue, id);
            }

            if (write.Insert is { } row)
            {
                Execute(_commands.InsertMessage, RecordRows.QueueMessageValues(key, row, id));
            }
            else if (write.Update is { } update)
            {
                Execute(_commands.UpdateMessage, update.DueAt.UtcTicks, update.FailureCount, (object?)update.LastError ?? DBNull.Value, update.Revision, key.Queue, id);
            }
        }
    }
}
