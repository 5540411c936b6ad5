using System.Text;
using Annals.Storage;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>Translates an <see cref="EventFilter"/> into a SQL condition on the events table.</summary>
internal static class SqliteFilter
{
    /// <summary>
    /// Adds the filter's condition to a command. Returns the condition, or <see langword="null"/>
    /// when the filter holds wildcard patterns that SQL cannot express simply; the caller then
    /// reads every row and matches in process.
    /// </summary>
    public static string? Where(EventFilter filter, SqliteCommand command)
    {
        if (filter.MatchesAll || filter.Patterns.Count > 0)
        {
            return null;
        }

        var parts = new List<string>();
        var n = 0;
        if (filter.Streams.Count > 0)
        {
            parts.Add($"stream IN ({List(filter.Streams, command, ref n)})");
        }

        if (filter.Types.Count > 0)
        {
            parts.Add($"type IN ({List(filter.Types, command, ref n)})");
        }

        foreach (var category in filter.Categories)
        {
            // Stream names of a category sort between "category." and "category/" ('/' follows '.').
            var from = Add(command, ref n, category + ".");
            var to = Add(command, ref n, category + "/");
            parts.Add($"(stream >= {from} AND stream < {to})");
        }

        return "(" + string.Join(" OR ", parts) + ")";
    }

    private static string List(IEnumerable<string> values, SqliteCommand command, ref int n)
    {
        var text = new StringBuilder();
        foreach (var value in values)
        {
            if (text.Length > 0)
            {
                text.Append(", ");
            }

            text.Append(Add(command, ref n, value));
        }

        return text.ToString();
    }

    private static string Add(SqliteCommand command, ref int n, string value)
    {
        var name = "$f" + n++;
        command.Parameters.AddWithValue(name, value);
        return name;
    }
}
