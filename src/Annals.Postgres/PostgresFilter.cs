using Annals.Storage;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Translates an <see cref="EventFilter"/> into a SQL condition on the events table.</summary>
internal static class PostgresFilter
{
    /// <summary>
    /// The filter's condition, with its parameters appended to <paramref name="parameters"/>
    /// (positional, after the ones already there); <see langword="null"/> when the filter has
    /// wildcard patterns SQL does not express simply, and rows must be matched in process.
    /// </summary>
    public static string? Where(EventFilter filter, NpgsqlParameterCollection parameters)
    {
        if (filter.MatchesAll || filter.Patterns.Count > 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (filter.Streams.Count > 0)
        {
            parameters.Add(new NpgsqlParameter { Value = filter.Streams.ToArray() });
            parts.Add($"stream = ANY(${parameters.Count})");
        }

        if (filter.Types.Count > 0)
        {
            parameters.Add(new NpgsqlParameter { Value = filter.Types.ToArray() });
            parts.Add($"type = ANY(${parameters.Count})");
        }

        foreach (var category in filter.Categories)
        {
            // Stream names of a category sort between "category." and "category/" in the C collation.
            parameters.Add(new NpgsqlParameter { Value = category + "." });
            parameters.Add(new NpgsqlParameter { Value = category + "/" });
            parts.Add($"(stream >= ${parameters.Count - 1} AND stream < ${parameters.Count})");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }
}
