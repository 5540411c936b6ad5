using Annals.Sqlite;
using Annals.Storage.Providers;
using Microsoft.Data.Sqlite;

namespace Annals.Bench.Raw;

/// <summary>Creates the store's own tables (from the store's own migration scripts) so raw rows have the same shape and indexes.</summary>
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

        foreach (var (_, script) in SchemaScripts.Load(typeof(SqliteEventStore).Assembly))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = script;
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
