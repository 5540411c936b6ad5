namespace Annals.Orleans.Postgres;

/// <summary>
/// One of Orleans' PostgreSQL scripts, embedded in this assembly, with the table it creates first: the table's presence
/// shows that the script was applied, so a database set up by hand or by an older run is left alone.
/// </summary>
/// <param name="Name">The script's file name in the Orleans repository.</param>
/// <param name="Table">The table whose presence marks it applied, in lower case as PostgreSQL folds Orleans' unquoted names.</param>
internal sealed record OrleansScript(string Name, string Table)
{
    /// <summary>What clustering needs, in order: the table of Orleans' queries, then the membership tables and their queries.</summary>
    public static IReadOnlyList<OrleansScript> Clustering { get; } =
    [
        new("PostgreSQL-Main.sql", "orleansquery"),
        new("PostgreSQL-Clustering.sql", "orleansmembershiptable"),
    ];

    /// <summary>Reads the script's text.</summary>
    /// <returns>The SQL.</returns>
    public string Read()
    {
        using var stream = typeof(OrleansScript).Assembly.GetManifestResourceStream($"Annals.Orleans.Postgres.Scripts.{Name}")
            ?? throw new InvalidOperationException($"The embedded script '{Name}' is missing from {typeof(OrleansScript).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
