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
}
