-- Version 1 of the Annals SQLite schema.
-- Positions are assigned by the single writer in commit order, so the log has no gaps but those
-- left by truncated or deleted events, and a reader never sees a lower position appear later.
CREATE TABLE events (
    position   INTEGER PRIMARY KEY,
    event_id   BLOB    NOT NULL UNIQUE,
    stream     TEXT    NOT NULL,
    revision   INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    metadata   TEXT    NULL,
    timestamp  INTEGER NOT NULL
);
CREATE UNIQUE INDEX events_by_stream ON events (stream, revision);

CREATE TABLE streams (
    stream          TEXT    PRIMARY KEY,
    first_revision  INTEGER NOT NULL,
    last_revision   INTEGER NOT NULL,
    last_position   INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE snapshots (
    stream     TEXT    PRIMARY KEY,
    revision   INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    timestamp  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE states (
    key        TEXT    PRIMARY KEY,
    version    INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    timestamp  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE checkpoints (
    consumer   TEXT    PRIMARY KEY,
    position   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE queue_messages (
    queue          TEXT    NOT NULL,
    message_id     BLOB    NOT NULL,
    type           TEXT    NOT NULL,
    data           BLOB    NOT NULL,
    metadata       TEXT    NULL,
    due_at         INTEGER NOT NULL,
    failure_count  INTEGER NOT NULL,
    last_error     TEXT    NULL,
    revision       INTEGER NOT NULL,
    enqueued_at    INTEGER NOT NULL,
    sequence       INTEGER NOT NULL,
    PRIMARY KEY (queue, message_id)
) WITHOUT ROWID;
CREATE INDEX queue_messages_by_due ON queue_messages (queue, due_at, sequence);

-- 'head': the highest position ever assigned, kept even when the events holding it are removed.
-- 'queue_sequence': breaks ties of due time in enqueue order.
CREATE TABLE counters (
    name   TEXT    PRIMARY KEY,
    value  INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('head', 0), ('queue_sequence', 0);
