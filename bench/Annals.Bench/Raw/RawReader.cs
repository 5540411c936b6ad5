using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Annals.Bench.Raw;

/// <summary>Reads rows ordered by position into <see cref="RawEvent"/> objects, in one query, from SQLite or PostgreSQL.</summary>
internal static class RawReader
{
    private const string Columns = "position, event_id, stream, revision, type, data, metadata, timestamp";

    /// <summary>The last event read, kept so the objects are really made.</summary>
    public static RawEvent? Last { get; private set; }

    public static (long Events, long Bytes) Read(SqliteConnection connection, long limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM events ORDER BY position LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit == long.MaxValue ? -1 : limit);
        return Read(command);
    }

    public static (long Events, long Bytes) Read(NpgsqlConnection connection, string schema, long limit)
    {
        using var command = new NpgsqlCommand($"SELECT {Columns} FROM {schema}.events ORDER BY position LIMIT $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = limit });
        return Read(command);
    }

    private static (long Events, long Bytes) Read(DbCommand command)
    {
        long events = 0, bytes = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var e = new RawEvent(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetFieldValue<byte[]>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero));
            events++;
            bytes += e.Data.Length;
            Last = e;
        }

        return (events, bytes);
    }
}
