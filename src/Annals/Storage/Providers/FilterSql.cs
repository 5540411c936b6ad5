namespace Annals.Storage.Providers;

/// <summary>
/// Translates an <see cref="EventFilter"/> into a SQL condition on an events table with the text
/// columns <c>stream</c> and <c>type</c>, in any dialect: the backend only binds the values.
/// </summary>
public static class FilterSql
{
    /// <summary>The filter's condition, its values bound through <paramref name="parameters"/>.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="parameters">Binds the condition's values to the backend's command.</param>
    /// <returns>
    /// The condition, or <see langword="null"/> when every event matches or the filter holds wildcard
    /// patterns that SQL does not express simply: the caller then reads every row and matches in process.
    /// </returns>
    public static string? Where(EventFilter filter, IFilterParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(parameters);
        if (filter.MatchesAll || filter.Patterns.Count > 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (filter.Streams.Count > 0)
        {
            parts.Add(parameters.AnyOf("stream", filter.Streams));
        }

        if (filter.Types.Count > 0)
        {
            parts.Add(parameters.AnyOf("type", filter.Types));
        }

        foreach (var category in filter.Categories)
        {
            // In a binary (C) collation, the stream names of a category sort between "category." and "category/".
            var from = parameters.Add(category + ".");
            var to = parameters.Add(category + "/");
            parts.Add($"(stream >= {from} AND stream < {to})");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }
}
