-- Version 1 of the Annals PostgreSQL schema. "{schema}" is replaced by the configured schema name.
-- Names and types use the "C" collation: byte order, so a category is a range of stream names
-- and comparisons never depend on the server's locale.
CREATE TABLE {schema}.events (
    position   bigint      PRIMARY KEY,
    event_id   uuid        NOT NULL UNIQUE,
    stream     text        COLLATE "C" NOT NULL,
    revision   bigint      NOT NULL,
    type       text        COLLATE "C" NOT NULL,
    data       bytea       NOT NULL,
    metadata   text        NULL,
    timestamp  bigint      NOT NULL,
    UNIQUE (stream, revision)
);

CREATE TABLE {schema}.streams (
    stream          text    COLLATE "C" PRIMARY KEY,
    first_revision  bigint  NOT NULL,
    last_revision   bigint  NOT NULL,
    last_position   bigint  NOT NULL,
    deleted         boolean NOT NULL DEFAULT false
);

CREATE TABLE {schema}.snapshots (
    stream     text    COLLATE "C" PRIMARY KEY,
    revision   bigint  NOT NULL,
    type       text    NOT NULL,
    data       bytea   NOT NULL,
    timestamp  bigint  NOT NULL
);

CREATE TABLE {schema}.states (
    key        text    COLLATE "C" PRIMARY KEY,
    version    bigint  NOT NULL,
    type       text    NOT NULL,
    data       bytea   NOT NULL,
    timestamp  bigint  NOT NULL
);

CREATE TABLE {schema}.checkpoints (
    consumer   text    COLLATE "C" PRIMARY KEY,
    position   bigint  NOT NULL
);

CREATE TABLE {schema}.queue_messages (
    queue          text    COLLATE "C" NOT NULL,
    message_id     uuid    NOT NULL,
    type           text    NOT NULL,
    data           bytea   NOT NULL,
    metadata       text    NULL,
    due_at         bigint  NOT NULL,
    failure_count  integer NOT NULL,
    last_error     text    NULL,
    revision       bigint  NOT NULL,
    enqueued_at    bigint  NOT NULL,
    sequence       bigint  NOT NULL,
    PRIMARY KEY (queue, message_id)
);
CREATE INDEX queue_messages_by_due ON {schema}.queue_messages (queue, due_at, sequence);

-- 'head': the highest position assigned. Every commit locks this row first and holds it until it
-- commits, so positions are assigned in commit order and no reader can see a gap fill in later.
CREATE TABLE {schema}.counters (
    name   text    PRIMARY KEY,
    value  bigint  NOT NULL
);
INSERT INTO {schema}.counters (name, value) VALUES ('head', 0), ('queue_sequence', 0);

-- Single-owner work across processes (projections, process managers).
CREATE TABLE {schema}.leases (
    name        text         COLLATE "C" PRIMARY KEY,
    owner       text         NOT NULL,
    token       bigint       NOT NULL,
    expires_at  timestamptz  NOT NULL
);
