using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

/// <summary>
/// The statements that read the log through a filter, made in one place so that the store, the writer's append
/// conditions and the tests that show their query plans run the same SQL.
/// </summary>
internal static class PostgresLogQueries
{
    /// <summary>
    /// A page of the log, <c>$1</c> the position it reads after and <c>$2</c> the most events: first the head as a row
    /// of its own (the one without an event id), then the matching events up to the head, at most <c>$2</c>, when the
    /// SQL matches exactly; otherwise every row of a bounded window of positions, to be matched in process.
    /// </summary>
    /// <returns>The SQL, and whether it matches the filter exactly.</returns>
    public static (string Sql, bool Exact) LogPage(string schema, EventFilter filter, NpgsqlParameterCollection parameters)
    {
        var head = $"(SELECT value FROM {schema}.counters WHERE name = 'head')";
        var headRow = $"(SELECT value, NULL::uuid, NULL::text, NULL::bigint, NULL::text, NULL::bytea, NULL::text, NULL::bigint, NULL::text FROM {schema}.counters WHERE name = 'head')";
        if (FilterSql.OnlyTagItems(filter))
        {
            // Driven from the tag index: the first $2 matching positions after $1 (each item's index scan yields its
            // positions in order, so the merge stops early), then those events by primary key. Given the events table
            // to walk, the planner would scan it from $1 and test each row against the tag rows.
            var positions = TagPositions(schema, filter, parameters);
            return ($"""
                {headRow}
                UNION ALL
                (SELECT {EventRows.Columns} FROM {schema}.events
                WHERE position = ANY(ARRAY(SELECT DISTINCT m.position FROM ({positions}) AS m ORDER BY m.position LIMIT $2))
                ORDER BY position)
                """, true);
        }

        var where = PostgresFilter.Where(filter, parameters, schema, "$1");
        var exact = where is not null || filter.MatchesAll;
        var window = exact ? head : $"LEAST({head}, $1 + $2 * 8)";

        // The head comes as a row of its own rather than as a column joined to every event: the join costs the server
        // more than the events' scan.
        var sql = $"""
            {headRow}
            UNION ALL
            (SELECT {EventRows.Columns} FROM {schema}.events
            WHERE position > $1 AND position <= {window}{(where is null ? string.Empty : " AND " + where)}
            ORDER BY position{(exact ? " LIMIT $2" : string.Empty)})
            """;
        return (sql, exact);
    }

    /// <summary>
    /// An append condition's check, <c>$1</c> the position it reads after: the newest matching position, as
    /// (position, NULL, NULL, NULL), when the SQL matches exactly; otherwise every later row as (position, stream,
    /// type, tags), newest first, to be matched in process.
    /// </summary>
    /// <returns>The SQL, and whether it matches the filter exactly.</returns>
    public static (string Sql, bool Exact) LatestMatching(string schema, EventFilter filter, NpgsqlParameterCollection parameters)
    {
        if (FilterSql.OnlyTagItems(filter))
        {
            // The newest matching position from the tag index alone, each item's index scan read backwards from its end.
            return ($"SELECT (SELECT m.position FROM ({TagPositions(schema, filter, parameters)}) AS m ORDER BY m.position DESC LIMIT 1), NULL, NULL, NULL", true);
        }

        var where = PostgresFilter.Where(filter, parameters, schema, "$1");
        var exact = where is not null || filter.MatchesAll;
        var sql = exact
            ? $"SELECT max(position), NULL, NULL, NULL FROM {schema}.events WHERE position > $1{(where is null ? string.Empty : " AND " + where)}"
            : $"SELECT position, stream, type, tags FROM {schema}.events WHERE position > $1 ORDER BY position DESC";
        return (sql, exact);
    }

    private static string TagPositions(string schema, EventFilter filter, NpgsqlParameterCollection parameters) =>
        FilterSql.TagPositions(filter, new PostgresFilter(parameters), schema, "$1");
}
