using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

/// <summary>Binds a filter's condition to a PostgreSQL command: positional parameters, sets as arrays.</summary>
internal sealed class PostgresFilter(NpgsqlParameterCollection parameters) : IFilterParameters
{
    /// <summary>
    /// The filter's condition on the tables of <paramref name="schema"/> (see
    /// <see cref="FilterSql.Where(EventFilter, IFilterParameters, string?, string?)"/>), with its parameters appended to
    /// <paramref name="parameters"/> after the ones already there; <paramref name="afterPosition"/> is the placeholder
    /// of the position the query reads after.
    /// </summary>
    public static string? Where(EventFilter filter, NpgsqlParameterCollection parameters, string schema, string afterPosition) =>
        FilterSql.Where(filter, new PostgresFilter(parameters), schema, afterPosition);

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
