-- Version 2: a plain append no longer updates its stream's row; the row is written when the stream is
-- created, truncated, deleted or revived. Its last_revision and last_position are therefore a floor, and
-- the stream's newest event in events (by the (stream, revision) index) gives the current values.
-- Rows written by version 1 are exact, so they read correctly. Stop the processes of version 1 before
-- starting those of version 2 on the same schema: version 1 reads the row alone and refuses this version.
COMMENT ON COLUMN {schema}.streams.last_revision IS 'At least the stream''s last revision: the greater of this and its newest event''s revision.';
COMMENT ON COLUMN {schema}.streams.last_position IS 'At least the position of the stream''s last event: the greater of this and its newest event''s position.';
