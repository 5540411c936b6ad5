using System.Globalization;
using System.Reflection;

namespace Annals.Storage.Providers;

/// <summary>
/// Loads a SQL backend's migration scripts: embedded resources named <c>Sql/NNN_name.sql</c>,
/// where <c>NNN</c> is the schema version the script brings the database to.
/// </summary>
public static class SchemaScripts
{
    /// <summary>Reads every embedded <c>Sql/NNN_*.sql</c> script of an assembly, in version order.</summary>
    /// <param name="assembly">The backend's assembly.</param>
    /// <returns>Each script with its version, lowest first.</returns>
    public static IReadOnlyList<(int Version, string Script)> Load(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.EndsWith(".sql", StringComparison.Ordinal) && name.Contains(".Sql.", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name[(name.IndexOf(".Sql.", StringComparison.Ordinal) + 5)..];
                var version = int.Parse(file.AsSpan(0, 3), CultureInfo.InvariantCulture);
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return (version, reader.ReadToEnd());
            })
            .OrderBy(s => s.version)];
    }
}
