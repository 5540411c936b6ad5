-- Version 3: tags on events. An event's tags are stored twice: as a JSON array in its row, read back with it, and
-- as one row per tag in event_tags, whose primary key (tag, position) is a btree that tag queries walk: a tag's
-- events in position order, so a page (ORDER BY position LIMIT n) or an append condition (max(position) after P)
-- reads only that tag's rows after its position. A GIN index on a tags array finds the same events but yields
-- them in no order, so every page would fetch and sort all of a tag's matches after its position. Events stored
-- before have no tags. Byte order ("C"), as names: tags are compared ordinally.
ALTER TABLE {schema}.events ADD COLUMN tags text NULL;

CREATE TABLE {schema}.event_tags (
    tag       text    COLLATE "C" NOT NULL,
    position  bigint  NOT NULL,
    PRIMARY KEY (tag, position)
);
