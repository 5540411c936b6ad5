using Annals.Storage;
using Annals.Storage.Providers;
using Npgsql;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// Reads up to <paramref name="count"/> matching events after a position in one statement
    /// (one snapshot), with the head that snapshot saw, so it knows how far it looked.
    /// </summary>
    /// <inheritdoc />
    protected override async ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        try
        {
            await using var command = _dataSource.CreateCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = afterPosition });
            command.Parameters.Add(new NpgsqlParameter { Value = count });
            var (sql, exact) = PostgresLogQueries.LogPage(Schema, filter, command.Parameters);
            command.CommandText = sql;
            var page = new List<RecordedEvent>();
            var rows = new EventRows();
            long headPosition = 0;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (reader.IsDBNull(1))
                    {
                        headPosition = reader.GetInt64(0);
                        continue;
                    }

                    var e = rows.Read(reader);
                    if (exact || filter.Matches(e))
                    {
                        page.Add(e);
                    }
                }
            }

            var upTo = exact ? headPosition : Math.Min(headPosition, afterPosition + (count * 8L));
            var full = page.Count >= count && (exact || page.Count > count);
            if (page.Count > count)
            {
                page.RemoveRange(count, page.Count - count);
            }

            var scannedTo = full ? page[^1].Position : upTo;
            return new LogPage(page, Math.Max(afterPosition, scannedTo), !full && upTo >= headPosition);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw PostgresErrors.Translate(e, Schema);
        }
    }
}
