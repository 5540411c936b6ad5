using Annals.Storage;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>
/// The statements that read the log through a filter, made in one place so that the store, the writer's append
/// conditions and the tests that show their query plans run the same SQL.
/// </summary>
internal static class SqliteLogQueries
{
    /// <summary>
    /// Prepares a page of the log: the events after <c>$after</c> up to the head that the filter matches, at most
    /// <c>$count</c>, when the SQL matches exactly; otherwise every row of a window of positions, to be matched in
    /// process (which may skip rows, so the window is bounded).
    /// </summary>
    /// <returns>Whether the SQL matches the filter exactly, and the last position the page reads.</returns>
    public static (bool Exact, long UpTo) PrepareLogPage(SqliteCommand command, EventFilter filter, long afterPosition, long head, int count)
    {
        var where = SqliteFilter.Where(filter, command, "$after");
        var exact = where is not null || filter.MatchesAll;
        var upTo = exact ? head : Math.Min(head, afterPosition + (count * 8L));
        var position = Position(filter);
        command.CommandText = $"SELECT {Annals.Storage.Providers.EventRows.Columns} FROM events WHERE {position} > $after AND {position} <= $upTo{(where is null ? string.Empty : " AND " + where)} ORDER BY position{(exact ? " LIMIT $count" : string.Empty)};";
        command.Parameters.AddWithValue("$after", afterPosition);
        command.Parameters.AddWithValue("$upTo", upTo);
        command.Parameters.AddWithValue("$count", count);
        return (exact, upTo);
    }

    /// <summary>
    /// Prepares an append condition's check: the newest event after <c>$after</c> that the filter matches, as
    /// (position, stream, type, tags); when the SQL cannot match the filter exactly, every later row, newest first.
    /// </summary>
    /// <returns>Whether the SQL matches the filter exactly.</returns>
    public static bool PrepareLatestMatching(SqliteCommand command, EventFilter filter, long afterPosition)
    {
        var where = SqliteFilter.Where(filter, command, "$after");
        var exact = where is not null || filter.MatchesAll;
        command.CommandText = $"SELECT position, stream, type, tags FROM events WHERE {Position(filter)} > $after{(where is null ? string.Empty : " AND " + where)} ORDER BY position DESC{(exact ? " LIMIT 1" : string.Empty)};";
        command.Parameters.AddWithValue("$after", afterPosition);
        return exact;
    }

    /// <summary>
    /// How the bounds name the position column. For a filter of tag items alone it is <c>+position</c>, which SQLite
    /// does not use an index for: the planner then looks the events up by the positions the tag index yields (already
    /// bounded by the position) instead of walking the log from the position and testing each row against them.
    /// </summary>
    private static string Position(EventFilter filter) =>
        Annals.Storage.Providers.FilterSql.OnlyTagItems(filter)
            ? "+position"
            : "position";
}
