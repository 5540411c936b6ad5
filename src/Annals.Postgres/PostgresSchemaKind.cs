namespace Annals.Postgres;

/// <summary>What a schema holds, as the store provider tells them apart.</summary>
internal enum PostgresSchemaKind
{
    /// <summary>There is no such schema.</summary>
    Missing,

    /// <summary>The schema exists and holds no table (made beforehand, say by an administrator granting rights): a store may be made in it.</summary>
    Empty,

    /// <summary>The schema holds an Annals store.</summary>
    Store,

    /// <summary>The schema holds tables that are not an Annals store: never made into a store, nor dropped.</summary>
    Foreign,
}
