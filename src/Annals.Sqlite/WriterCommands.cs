using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>The writer's statements, prepared once and reused for every commit.</summary>
internal sealed class WriterCommands : IDisposable
{
    private readonly List<SqliteCommand> _all = [];

    public WriterCommands(SqliteConnection connection)
    {
        Connection = connection;
        Begin = Make("BEGIN IMMEDIATE;");
        Commit = Make("COMMIT;");
        Rollback = Make("ROLLBACK;");
        UpdateCounter = Make("UPDATE counters SET value = $value WHERE name = $name;", "$value", "$name");
        SelectStream = Make("SELECT first_revision, last_revision, last_position, deleted FROM streams WHERE stream = $stream;", "$stream");
        UpsertStream = Make(
            """
            INSERT INTO streams (stream, first_revision, last_revision, last_position, deleted)
            VALUES ($stream, $first, $last, $position, $deleted)
            ON CONFLICT (stream) DO UPDATE SET first_revision = excluded.first_revision, last_revision = excluded.last_revision,
                last_position = excluded.last_position, deleted = excluded.deleted;
            """,
            "$stream", "$first", "$last", "$position", "$deleted");
        InsertEvent = Make(
            "INSERT INTO events (position, event_id, stream, revision, type, data, metadata, timestamp, tags) VALUES ($position, $id, $stream, $revision, $type, $data, $metadata, $timestamp, $tags);",
            "$position", "$id", "$stream", "$revision", "$type", "$data", "$metadata", "$timestamp", "$tags");
        InsertEventTag = Make("INSERT INTO event_tags (tag, position) VALUES ($tag, $position);", "$tag", "$position");
        SelectEventById = Make("SELECT stream, revision, position FROM events WHERE event_id = $id;", "$id");
        // The tag rows of the events about to go, found from the tags their rows hold, each by its key.
        DeleteStoredEventTags = Make(
            """
            DELETE FROM event_tags WHERE (tag, position) IN (
                SELECT j.value, e.position FROM events e, json_each(e.tags) j
                WHERE e.stream = $stream AND e.revision < $before AND e.position < $first AND e.tags IS NOT NULL);
            """,
            "$stream", "$before", "$first");
        DeleteStoredEvents = Make("DELETE FROM events WHERE stream = $stream AND revision < $before AND position < $first;", "$stream", "$before", "$first");
        SelectSnapshotRevision = Make("SELECT revision FROM snapshots WHERE stream = $stream;", "$stream");
        UpsertSnapshot = Make(
            "INSERT OR REPLACE INTO snapshots (stream, revision, type, data, timestamp) VALUES ($stream, $revision, $type, $data, $timestamp);",
            "$stream", "$revision", "$type", "$data", "$timestamp");
        DeleteSnapshot = Make("DELETE FROM snapshots WHERE stream = $stream;", "$stream");
        SelectStateVersion = Make("SELECT version FROM states WHERE key = $key;", "$key");
        UpsertState = Make(
            "INSERT OR REPLACE INTO states (key, version, type, data, timestamp) VALUES ($key, $version, $type, $data, $timestamp);",
            "$key", "$version", "$type", "$data", "$timestamp");
        InsertState = Make(
            "INSERT INTO states (key, version, type, data, timestamp) VALUES ($key, $version, $type, $data, $timestamp);",
            "$key", "$version", "$type", "$data", "$timestamp");
        DeleteState = Make("DELETE FROM states WHERE key = $key;", "$key");
        SelectCheckpoint = Make("SELECT position FROM checkpoints WHERE consumer = $consumer;", "$consumer");
        UpsertCheckpoint = Make("INSERT OR REPLACE INTO checkpoints (consumer, position) VALUES ($consumer, $position);", "$consumer", "$position");
        SelectMessageRevision = Make("SELECT revision FROM queue_messages WHERE queue = $queue AND message_id = $id;", "$queue", "$id");
        InsertMessage = Make(
            $"""
            INSERT INTO queue_messages ({RecordRows.QueueMessageInsertColumns})
            VALUES ($queue, $id, $type, $data, $metadata, $due, $failures, $error, $revision, $enqueued, $sequence);
            """,
            "$queue", "$id", "$type", "$data", "$metadata", "$due", "$failures", "$error", "$revision", "$enqueued", "$sequence");
        UpdateMessage = Make(
            "UPDATE queue_messages SET due_at = $due, failure_count = $failures, last_error = $error, revision = $revision WHERE queue = $queue AND message_id = $id;",
            "$due", "$failures", "$error", "$revision", "$queue", "$id");
        DeleteMessage = Make("DELETE FROM queue_messages WHERE queue = $queue AND message_id = $id;", "$queue", "$id");
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand Begin { get; }

    public SqliteCommand Commit { get; }

    public SqliteCommand Rollback { get; }

    public SqliteCommand UpdateCounter { get; }

    public SqliteCommand SelectStream { get; }

    public SqliteCommand UpsertStream { get; }

    public SqliteCommand InsertEvent { get; }

    public SqliteCommand InsertEventTag { get; }

    public SqliteCommand SelectEventById { get; }

    public SqliteCommand DeleteStoredEventTags { get; }

    public SqliteCommand DeleteStoredEvents { get; }

    public SqliteCommand SelectSnapshotRevision { get; }

    public SqliteCommand UpsertSnapshot { get; }

    public SqliteCommand DeleteSnapshot { get; }

    public SqliteCommand SelectStateVersion { get; }

    public SqliteCommand UpsertState { get; }

    /// <summary>Inserts a state presumed new: a stored one fails on the unique key.</summary>
    public SqliteCommand InsertState { get; }

    public SqliteCommand DeleteState { get; }

    public SqliteCommand SelectCheckpoint { get; }

    public SqliteCommand UpsertCheckpoint { get; }

    public SqliteCommand SelectMessageRevision { get; }

    public SqliteCommand InsertMessage { get; }

    public SqliteCommand UpdateMessage { get; }

    public SqliteCommand DeleteMessage { get; }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    private SqliteCommand Make(string sql, params string[] parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _all.Add(command);
        return command;
    }
}
