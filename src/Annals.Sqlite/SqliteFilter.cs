using Annals.Storage;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>Binds a filter's condition to a SQLite command: named parameters, sets as <c>IN</c> lists.</summary>
internal sealed class SqliteFilter(SqliteCommand command) : IFilterParameters
{
    private int _next;

    /// <summary>
    /// Adds the filter's condition (see <see cref="FilterSql.Where(EventFilter, IFilterParameters, string?, string?)"/>)
    /// to a command's parameters; <paramref name="afterPosition"/> is the placeholder of the position the query reads after.
    /// </summary>
    public static string? Where(EventFilter filter, SqliteCommand command, string afterPosition) =>
        FilterSql.Where(filter, new SqliteFilter(command), null, afterPosition);

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
