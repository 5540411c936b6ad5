namespace Annals.Postgres;

/// <summary>The writer's statements that run on every group, made once for its schema rather than per group.</summary>
/// <param name="schema">The store's schema, already validated.</param>
internal sealed class WriterStatements(string schema)
{
    /// <summary>The column that names the head row's version in a result.</summary>
    public const string HeadVersionColumn = "head_version";

    /// <summary>
    /// The fast path's head lock, guard and write in one: $1 the head and $2 the version the writer last saw, $3 the new head.
    /// Once the lock is granted after a wait, PostgreSQL evaluates the CASE again on the row's latest version.
    /// </summary>
    public string GuardAndWriteHead { get; } = $"""
        UPDATE {schema}.counters SET value = CASE WHEN value = $1 AND xmin::text = $2 THEN $3
            ELSE ('annals: another writer committed; the head is ' || value)::bigint END
        WHERE name = 'head' RETURNING xmin::text AS {HeadVersionColumn}
        """;

    /// <summary>The general way's head write: $1 the new head.</summary>
    public string WriteHead { get; } = $"UPDATE {schema}.counters SET value = $1 WHERE name = 'head' RETURNING xmin::text AS {HeadVersionColumn}";

    /// <summary>The general way's head lock and read.</summary>
    public string LockHead { get; } = $"SELECT value FROM {schema}.counters WHERE name = 'head' FOR UPDATE";

    /// <summary>Inserts the group's events from one array per column.</summary>
    public string InsertEvents { get; } =
        $"INSERT INTO {schema}.events (position, event_id, stream, revision, type, data, metadata, timestamp, tags) SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[], $6::bytea[], $7::text[], $8::bigint[], $9::text[])";

    /// <summary>Inserts the tag rows of the group's events from one array per column: $1 the tags, $2 their events' positions.</summary>
    public string InsertEventTags { get; } =
        $"INSERT INTO {schema}.event_tags (tag, position) SELECT * FROM unnest($1::text[], $2::bigint[])";

    /// <summary>
    /// Deletes a stream's stored events below a revision ($1 the stream, $2 the revision, $3 the group's first position)
    /// and, in the same statement, their tag rows, found from the tags the deleted rows held, each by its key.
    /// </summary>
    public string DeleteStoredEvents { get; } = $"""
        WITH gone AS (DELETE FROM {schema}.events WHERE stream = $1 AND revision < $2 AND position < $3 RETURNING position, tags)
        DELETE FROM {schema}.event_tags t USING gone, json_array_elements_text(gone.tags::json) AS g(tag)
        WHERE gone.tags IS NOT NULL AND t.tag = g.tag AND t.position = gone.position
        """;

    /// <summary>Writes the streams' rows from one array per column.</summary>
    public string UpsertStreams { get; } = $"""
        INSERT INTO {schema}.streams (stream, first_revision, last_revision, last_position, deleted)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::boolean[])
        ON CONFLICT (stream) DO UPDATE SET first_revision = excluded.first_revision, last_revision = excluded.last_revision,
            last_position = excluded.last_position, deleted = excluded.deleted
        """;

    /// <summary>Writes checkpoints from one array per column.</summary>
    public string UpsertCheckpoints { get; } =
        $"INSERT INTO {schema}.checkpoints (consumer, position) SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT (consumer) DO UPDATE SET position = excluded.position";

    /// <summary>Reads the rows of the streams in $1.</summary>
    public string ReadStreams { get; } = $"{StreamRows.Select(schema)} WHERE s.stream = ANY($1)";

    /// <summary>Finds where the event ids in $1 are stored.</summary>
    public string FindEventIds { get; } = $"SELECT event_id, stream, revision, position FROM {schema}.events WHERE event_id = ANY($1)";
}
