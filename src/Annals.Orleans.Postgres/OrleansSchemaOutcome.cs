namespace Annals.Orleans.Postgres;

/// <summary>What <see cref="OrleansPostgresSchema.EnsureCreatedAsync"/> found and did.</summary>
public sealed class OrleansSchemaOutcome
{
    internal OrleansSchemaOutcome(string schema, IReadOnlyList<string> appliedScripts)
    {
        Schema = schema;
        AppliedScripts = appliedScripts;
    }

    /// <summary>The schema that holds Orleans' membership table: the first of the connection's search path that does, where Orleans' queries find it.</summary>
    public string Schema { get; }

    /// <summary>The scripts applied, by their file names in the Orleans repository, in order; empty when every table was there.</summary>
    public IReadOnlyList<string> AppliedScripts { get; }

    /// <summary>Whether any table was created.</summary>
    public bool Created => AppliedScripts.Count > 0;
}
