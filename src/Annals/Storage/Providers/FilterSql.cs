namespace Annals.Storage.Providers;

/// <summary>
/// Translates an <see cref="EventFilter"/> into a SQL condition on an events table with the text
/// columns <c>stream</c> and <c>type</c> and the integer column <c>position</c>, in any dialect: the backend only
/// binds the values. Tag query items read a table <c>event_tags (tag, position)</c> with an index on
/// <c>(tag, position)</c>, which holds one row per tag of every stored event.
/// </summary>
public static class FilterSql
{
    /// <summary>The filter's condition on the unqualified tables <c>events</c> and <c>event_tags</c>, its values bound through <paramref name="parameters"/>.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="parameters">Binds the condition's values to the backend's command.</param>
    /// <returns>
    /// The condition, or <see langword="null"/> when every event matches or the filter holds wildcard
    /// patterns that SQL does not express simply: the caller then reads every row and matches in process.
    /// </returns>
    public static string? Where(EventFilter filter, IFilterParameters parameters) => Where(filter, parameters, null, null);

    /// <summary>The filter's condition, its values bound through <paramref name="parameters"/>.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="parameters">Binds the condition's values to the backend's command.</param>
    /// <param name="schema">The schema of the tables, as SQL (quoted as needed), or <see langword="null"/> for unqualified names.</param>
    /// <param name="afterPosition">
    /// The SQL expression (a placeholder) of the position the query reads after, or <see langword="null"/>: it bounds the
    /// tag index scans, so a page or a check reads only the tag rows after it rather than a tag's whole history.
    /// </param>
    /// <returns>
    /// The condition, or <see langword="null"/> when every event matches or the filter holds wildcard
    /// patterns that SQL does not express simply: the caller then reads every row and matches in process.
    /// </returns>
    public static string? Where(EventFilter filter, IFilterParameters parameters, string? schema, string? afterPosition)
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

        if (filter.TagItems.Count > 0)
        {
            parts.Add($"position IN ({TagPositions(filter, parameters, schema, afterPosition)})");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>Whether the filter is made of tag query items alone, so that <see cref="TagPositions"/> selects every event it matches.</summary>
    /// <param name="filter">The filter.</param>
    /// <returns><see langword="true"/> when it holds tag items and nothing else.</returns>
    public static bool OnlyTagItems(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return !filter.MatchesAll && filter.TagItems.Count > 0 && filter.Streams.Count == 0 && filter.Categories.Count == 0
            && filter.Types.Count == 0 && filter.Patterns.Count == 0;
    }

    /// <summary>
    /// A query of one column, <c>position</c>, selecting the positions of the events matching any of the filter's tag
    /// items (a position may come twice). Each item is driven by the (tag, position) index on its first tag, so the
    /// database walks that tag's rows (after the position, in position order) and probes the index for the others; the
    /// events table is joined only to check the types an item names. A backend whose planner would rather walk the
    /// events table may select from this query directly (see <see cref="OnlyTagItems"/>).
    /// </summary>
    /// <param name="filter">The filter, with at least one tag item.</param>
    /// <param name="parameters">Binds the query's values to the backend's command.</param>
    /// <param name="schema">The schema of the tables, as SQL (quoted as needed), or <see langword="null"/> for unqualified names.</param>
    /// <param name="afterPosition">The SQL expression of the position the query reads after, or <see langword="null"/> for the whole log.</param>
    /// <returns>The query.</returns>
    /// <exception cref="ArgumentException">The filter has no tag items.</exception>
    public static string TagPositions(EventFilter filter, IFilterParameters parameters, string? schema, string? afterPosition)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(parameters);
        if (filter.TagItems.Count == 0)
        {
            throw new ArgumentException("The filter has no tag items.", nameof(filter));
        }

        var prefix = schema is null ? string.Empty : schema + ".";
        var items = filter.TagItems;
        var selects = new List<string>(items.Count);
        foreach (var item in items)
        {
            var sql = new System.Text.StringBuilder();
            sql.Append($"SELECT t0.position FROM {prefix}event_tags t0");
            if (item.Types.Count > 0)
            {
                sql.Append($" JOIN {prefix}events e ON e.position = t0.position");
            }

            sql.Append($" WHERE t0.tag = {parameters.Add(item.Tags[0])}");
            if (afterPosition is not null)
            {
                sql.Append($" AND t0.position > {afterPosition}");
            }

            for (var i = 1; i < item.Tags.Count; i++)
            {
                // Bounded by the position too, so a planner that joins rather than probes reads only the later rows.
                var bound = afterPosition is null ? string.Empty : $" AND t{i}.position > {afterPosition}";
                sql.Append($" AND EXISTS (SELECT 1 FROM {prefix}event_tags t{i} WHERE t{i}.tag = {parameters.Add(item.Tags[i])} AND t{i}.position = t0.position{bound})");
            }

            if (item.Types.Count > 0)
            {
                sql.Append(" AND ").Append(parameters.AnyOf("e.type", item.Types));
            }

            selects.Add(sql.ToString());
        }

        return string.Join(" UNION ALL ", selects);
    }
}
