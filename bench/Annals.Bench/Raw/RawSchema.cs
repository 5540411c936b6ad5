using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Annals.Bench.Raw;

/// <summary>Creates the store's own tables (the store's SQL scripts, embedded) so raw rows have the same shape and indexes.</summary>
internal static class RawSchema
{
    public static void EnsureCreated(SqliteConnection connection)
    {
        using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events';";
            if ((long)exists.ExecuteScalar()! > 0)
            {
                return;
            }
        }

        var assembly = Assembly.GetExecutingAssembly();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = reader.ReadToEnd();
            command.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    public static long CountEvents(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM events;";
        return (long)command.ExecuteScalar()!;
    }
}
