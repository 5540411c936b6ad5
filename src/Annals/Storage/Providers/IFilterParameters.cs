namespace Annals.Storage.Providers;

/// <summary>How a SQL backend binds the values of a filter's condition (see <see cref="FilterSql"/>).</summary>
public interface IFilterParameters
{
    /// <summary>Binds one text value to the command.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The placeholder that stands for it in the SQL text.</returns>
    string Add(string value);

    /// <summary>Binds a set of text values to the command.</summary>
    /// <param name="column">The column compared.</param>
    /// <param name="values">The values, at least one.</param>
    /// <returns>A condition that holds when the column equals one of the values.</returns>
    string AnyOf(string column, IReadOnlyCollection<string> values);
}
