-- Version 2: durable states and queue messages in rowid tables, found by unique indexes on their keys.
-- Their keys are random (process instance ids, message ids): in a WITHOUT ROWID table each new row lands on a
-- random page of a tree of whole rows, so a commit of many rows rewrote a page for nearly every row. Rows now go
-- to the end of the table in write order, and only the small key indexes take the random inserts.
CREATE TABLE states_v2 (
    key        TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    timestamp  INTEGER NOT NULL
);
INSERT INTO states_v2 (key, version, type, data, timestamp)
    SELECT key, version, type, data, timestamp FROM states;
DROP TABLE states;
ALTER TABLE states_v2 RENAME TO states;
CREATE UNIQUE INDEX states_by_key ON states (key);

CREATE TABLE queue_messages_v2 (
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
    sequence       INTEGER NOT NULL
);
INSERT INTO queue_messages_v2 (queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence)
    SELECT queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence
    FROM queue_messages ORDER BY sequence;
DROP TABLE queue_messages;
ALTER TABLE queue_messages_v2 RENAME TO queue_messages;
CREATE UNIQUE INDEX queue_messages_by_id ON queue_messages (queue, message_id);
CREATE INDEX queue_messages_by_due ON queue_messages (queue, due_at, sequence);
