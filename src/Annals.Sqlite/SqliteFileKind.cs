namespace Annals.Sqlite;

/// <summary>What a file that may hold a store holds, as the store provider tells them apart.</summary>
internal enum SqliteFileKind
{
    /// <summary>There is no file.</summary>
    Missing,

    /// <summary>A database with nothing in it (an empty file, or a creation that crashed before its schema committed): a store may be made in it.</summary>
    Empty,

    /// <summary>An Annals store, of this schema version or another.</summary>
    Store,

    /// <summary>Something else: not a SQLite file, or a database of tables that are not Annals'. Never made into a store, nor deleted.</summary>
    Foreign,
}
