using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Sqlite;

/// <summary>Creates and migrates the schema. Its version is the file's <c>user_version</c>; scripts are <c>Sql/NNN_name.sql</c>.</summary>
internal static class SqliteSchema
{
    private static readonly IReadOnlyList<(int Version, string Script)> Scripts = SchemaScripts.Load(typeof(SqliteSchema).Assembly);

    /// <summary>The schema version this release writes.</summary>
    public static int CurrentVersion => Scripts[^1].Version;

    /// <summary>Brings the file up to the current version, each step in its own transaction.</summary>
    /// <returns>The version the file had before.</returns>
    public static int Migrate(SqliteConnection connection, string path)
    {
        var version = ReadVersion(connection);
        if (version > CurrentVersion)
        {
            throw new AnnalsException($"The file '{path}' has schema version {version}, newer than this release of Annals understands ({CurrentVersion}); upgrade Annals to open it.");
        }

        foreach (var (target, script) in Scripts)
        {
            if (target <= version)
            {
                continue;
            }

            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = script + $"\nPRAGMA user_version = {target};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        return (int)version;
    }

    /// <summary>Checks, without changing anything, that a read-only open can understand the file.</summary>
    public static void Verify(SqliteConnection connection, string path)
    {
        var version = ReadVersion(connection);
        if (version != CurrentVersion)
        {
            throw new AnnalsException(version == 0
                ? $"The file '{path}' is not an Annals store (it has no Annals schema)."
                : $"The file '{path}' has schema version {version} and this release reads version {CurrentVersion}; open it for writing once to migrate it, or use a matching release.");
        }
    }

    /// <summary>Tells what the file at <paramref name="path"/> holds, reading it without a lock and leaving no connection behind.</summary>
    public static SqliteFileKind Inspect(string path)
    {
        if (!File.Exists(path))
        {
            return SqliteFileKind.Missing;
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            if (ReadVersion(connection) > 0)
            {
                return SqliteFileKind.Store;
            }

            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master;";
            return (long)command.ExecuteScalar()! == 0 ? SqliteFileKind.Empty : SqliteFileKind.Foreign;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 11 or 26)
        {
            // Damaged, or not SQLite at all (SQLITE_CORRUPT, SQLITE_NOTADB).
            return SqliteFileKind.Foreign;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14 && !File.Exists(path))
        {
            // Deleted while being looked at (SQLITE_CANTOPEN).
            return SqliteFileKind.Missing;
        }
    }

    private static long ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }
}
