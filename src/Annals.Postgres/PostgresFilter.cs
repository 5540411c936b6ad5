using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Binds a filter's condition to a PostgreSQL command: positional parameters, sets as arrays.</summary>
internal sealed class PostgresFilter(NpgsqlParameterCollection parameters) : IFilterParameters
{
    /// <summary>
    /// The filter's condition (see <see cref="FilterSql.Where"/>), with its parameters appended to
    /// <paramref name="parameters"/> after the ones already there.
    /// </summary>
    public static string? Where(EventFilter filter, NpgsqlParameterCollection parameters) =>
        FilterSql.Where(filter, new PostgresFilter(parameters));

    /// <inheritdoc />
    public string Add(string value)
    {
        parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + parameters.Count;
    }

    /// <inheritdoc />
    public string AnyOf(string column, IReadOnlyCollection<string> values)
    {
        parameters.Add(new NpgsqlParameter { Value = values.ToArray() });
        return $"{column} = ANY(${parameters.Count})";
    }
}
