using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>Binds a filter's condition to a SQLite command: named parameters, sets as <c>IN</c> lists.</summary>
internal sealed class SqliteFilter(SqliteCommand command) : IFilterParameters
{
    private int _next;

    /// <summary>Adds the filter's condition (see <see cref="FilterSql.Where"/>) to a command's parameters.</summary>
    public static string? Where(EventFilter filter, SqliteCommand command) =>
        FilterSql.Where(filter, new SqliteFilter(command));

    /// <inheritdoc />
    public string Add(string value)
    {
        var name = "$f" + _next++;
        command.Parameters.AddWithValue(name, value);
        return name;
    }

    /// <inheritdoc />
    public string AnyOf(string column, IReadOnlyCollection<string> values) =>
        $"{column} IN ({string.Join(", ", values.Select(Add))})";
}
