using Microsoft.Data.Sqlite;

namespace Annals.Bench.Raw;

/// <summary>A plain connection with the pragmas the store's writer uses: WAL, synchronous FULL (or NORMAL), busy_timeout.</summary>
internal static class RawConnection
{
    public static SqliteConnection Open(string path, bool durable)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")}; PRAGMA busy_timeout = 5000;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
