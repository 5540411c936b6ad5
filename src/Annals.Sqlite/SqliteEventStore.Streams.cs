using System.Runtime.CompilerServices;
using Annals.Storage;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore
{
    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var from = after;
            var page = await Query(cancellationToken, connection =>
            {
                using var command = connection.CreateCommand();
                var range = category is null ? string.Empty : " AND stream >= $from_category AND stream < $to_category";
                command.CommandText = $"SELECT stream, first_revision, last_revision, last_position FROM streams WHERE deleted = 0 AND stream > $after{range} ORDER BY stream LIMIT $count;";
                command.Parameters.AddWithValue("$after", from);
                command.Parameters.AddWithValue("$count", EventStoreLimits.ReadPageSize);
                if (category is not null)
                {
                    command.Parameters.AddWithValue("$from_category", category + ".");
                    command.Parameters.AddWithValue("$to_category", category + "/");
                }

                using var reader = command.ExecuteReader();
                var streams = new List<StreamInfo>();
                while (reader.Read())
                {
                    streams.Add(new StreamInfo(StreamName.Parse(reader.GetString(0)), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
                }

                return streams;
            }).ConfigureAwait(false);

            foreach (var stream in page)
            {
                yield return stream;
            }

            if (page.Count < EventStoreLimits.ReadPageSize)
            {
                yield break;
            }

            after = page[^1].Stream.Value;
        }
    }

    /// <summary>Counts what the file holds: streams, events, the head position and the size on disk.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The figures.</returns>
    public ValueTask<SqliteStoreStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT COUNT(*) FROM streams WHERE deleted = 0),
                       (SELECT COUNT(*) FROM events),
                       (SELECT value FROM counters WHERE name = 'head');
                """;
            using var reader = command.ExecuteReader();
            reader.Read();
            long Size(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;
            return new SqliteStoreStatistics(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), Size(Path) + Size(Path + "-wal"));
        });
}
