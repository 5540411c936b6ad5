namespace Annals.Postgres;

/// <summary>
/// Reads streams' rows. A row is written when its stream is created, truncated, deleted or revived, not by a
/// plain append, which would cost every commit an update per stream it appends to. So the row's
/// <c>last_revision</c> and <c>last_position</c> are a floor (what they were at its last write, kept for a stream
/// whose events are all removed), and the stream's newest event, one index look-up, gives the rest.
/// </summary>
internal static class StreamRows
{
    /// <summary>
    /// The columns stream, first_revision, last_revision, last_position, deleted, and the FROM clause over the
    /// schema's streams (alias <c>s</c>), to add a WHERE to.
    /// </summary>
    public static string Select(string schema) =>
        $"""
        SELECT s.stream, s.first_revision, greatest(s.last_revision, e.revision), greatest(s.last_position, e.position), s.deleted
        FROM {schema}.streams AS s
        LEFT JOIN LATERAL (SELECT revision, position FROM {schema}.events WHERE stream = s.stream ORDER BY revision DESC LIMIT 1) AS e ON true
        """;
}
