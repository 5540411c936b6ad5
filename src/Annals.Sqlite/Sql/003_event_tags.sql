-- Version 3: tags on events. An event's tags are stored twice: as a JSON array in its row, read back with it, and
-- as one row per tag in event_tags, whose primary key (tag, position) is the index tag queries walk: a tag's events
-- in position order, so a page or an append condition reads only the rows after its position. The rows are small
-- (a tag and a position), hence WITHOUT ROWID: the key is the whole row. Events stored before have no tags.
ALTER TABLE events ADD COLUMN tags TEXT NULL;

CREATE TABLE event_tags (
    tag       TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (tag, position)
) WITHOUT ROWID;
