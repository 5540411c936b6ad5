using System.Runtime.CompilerServices;
using Npgsql;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    private const string EventColumns = "position, event_id, stream, revision, type, data, metadata, timestamp";

    /// <inheritdoc />
    public override ValueTask<StreamInfo?> GetStreamInfoAsync(StreamName stream, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"SELECT first_revision, last_revision, last_position FROM {Schema}.streams WHERE stream = $1 AND NOT deleted",
            [stream.Value],
            reader => new StreamInfo(stream, reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)),
            cancellationToken);

    /// <inheritdoc />
    public override async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT value FROM {Schema}.counters WHERE name = 'head'", [], reader => (long?)reader.GetInt64(0), cancellationToken).ConfigureAwait(false) ?? 0;

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> ReadStreamCore(StreamName stream, long fromRevision, int maxCount, bool forward, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var next = fromRevision;
        var remaining = maxCount;
        while (remaining > 0)
        {
            var count = Math.Min(remaining, EventStoreLimits.ReadPageSize);
            var sql = forward
                ? $"SELECT {EventColumns} FROM {Schema}.events WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3"
                : $"SELECT {EventColumns} FROM {Schema}.events WHERE stream = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3";
            var page = await ListAsync(sql, [stream.Value, next, count], ReadEvent, cancellationToken).ConfigureAwait(false);
            foreach (var e in page)
            {
                yield return e;
            }

            if (page.Count < count)
            {
                yield break;
            }

            remaining -= page.Count;
            next = forward ? page[^1].Revision + 1 : page[^1].Revision - 1;
            if (next < 0)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> ReadAllCore(long afterPosition, EventFilter filter, int maxCount, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        var remaining = maxCount;
        var size = new LogPageSize();
        while (remaining > 0)
        {
            var (page, scannedTo, atEnd) = await ReadLogPageAsync(scanned, filter, Math.Min(remaining, size.Next), cancellationToken).ConfigureAwait(false);
            size.Saw(page.Count, Bytes(page));
            foreach (var e in page)
            {
                yield return e;
            }

            remaining -= page.Count;
            scanned = scannedTo;
            if (atEnd)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<RecordedEvent> SubscribeCore(long afterPosition, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var scanned = afterPosition;
        var size = new LogPageSize();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _disposed) != 0 || _notifications.IsStopped)
            {
                yield break;
            }

            var next = _notifications.Next();
            List<RecordedEvent> page;
            bool atEnd;
            try
            {
                (page, scanned, atEnd) = await ReadLogPageAsync(scanned, filter, size.Next, cancellationToken).ConfigureAwait(false);
                size.Saw(page.Count, Bytes(page));
            }
            catch (StoreUnavailableException)
            {
                // The server is away: wait and resume from the last position delivered.
                await _notifications.WaitAsync(next, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (ObjectDisposedException)
            {
                yield break;
            }

            foreach (var e in page)
            {
                yield return e;
            }

            if (atEnd && page.Count == 0)
            {
                await _notifications.WaitAsync(next, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    protected override async IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = string.Empty;
        while (true)
        {
            var sql = $"SELECT stream, first_revision, last_revision, last_position FROM {Schema}.streams WHERE NOT deleted AND stream > $1"
                + (category is null ? string.Empty : " AND stream >= $3 AND stream < $4") + " ORDER BY stream LIMIT $2";
            object[] parameters = category is null ? [after, EventStoreLimits.ReadPageSize] : [after, EventStoreLimits.ReadPageSize, category + ".", category + "/"];
            var page = await ListAsync(sql, parameters, r => new StreamInfo(ParseStream(r.GetString(0)), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Reads up to <paramref name="count"/> matching events after a position in one statement
    /// (one snapshot), with the head that snapshot saw, so it knows how far it looked.
    /// </summary>
    private async ValueTask<(List<RecordedEvent> Page, long ScannedTo, bool AtEnd)> ReadLogPageAsync(long after, EventFilter filter, int count, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        try
        {
            await using var command = _dataSource.CreateCommand();
            command.Parameters.Add(new NpgsqlParameter { Value = after });
            command.Parameters.Add(new NpgsqlParameter { Value = count });
            var where = PostgresFilter.Where(filter, command.Parameters);
            var exact = where is not null || filter.MatchesAll;
            var window = exact ? "h.value" : "LEAST(h.value, $1 + $2 * 8)";

            // The head row and the events are read in one statement, so they come from one snapshot.
            command.CommandText = $"""
                WITH h AS (SELECT value FROM {Schema}.counters WHERE name = 'head')
                SELECT h.value, {window}, e.* FROM h LEFT JOIN LATERAL (
                    SELECT {EventColumns} FROM {Schema}.events
                    WHERE position > $1 AND position <= {window}{(where is null ? string.Empty : " AND " + where)}
                    ORDER BY position{(exact ? " LIMIT $2" : string.Empty)}) e ON true
                """;
            var page = new List<RecordedEvent>();
            long head = 0;
            long upTo = after;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    head = reader.GetInt64(0);
                    upTo = reader.GetInt64(1);
                    if (reader.IsDBNull(2))
                    {
                        continue;
                    }

                    var e = ReadEvent(reader, 2);
                    if (exact || filter.Matches(e.Stream, e.Type))
                    {
                        page.Add(e);
                    }
                }
            }

            var full = page.Count >= count && (exact || page.Count > count);
            if (page.Count > count)
            {
                page.RemoveRange(count, page.Count - count);
            }

            var scannedTo = full ? page[^1].Position : upTo;
            return (page, Math.Max(after, scannedTo), !full && upTo >= head);
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw PostgresErrors.Translate(e, Schema);
        }
    }

    private static long Bytes(List<RecordedEvent> page)
    {
        long bytes = 0;
        foreach (var e in page)
        {
            bytes += e.Data.Length + (e.Metadata.Count * 64);
        }

        return bytes;
    }

    private static RecordedEvent ReadEvent(NpgsqlDataReader reader) => ReadEvent(reader, 0);

    private static RecordedEvent ReadEvent(NpgsqlDataReader reader, int at)
    {
        var position = reader.GetInt64(at);
        try
        {
            return new RecordedEvent(
                reader.GetGuid(at + 1),
                StreamName.Parse(reader.GetString(at + 2)),
                reader.GetInt64(at + 3),
                position,
                reader.GetString(at + 4),
                reader.GetFieldValue<byte[]>(at + 5),
                MetadataJson.Decode(reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6)),
                new DateTimeOffset(reader.GetInt64(at + 7), TimeSpan.Zero));
        }
        catch (Exception e) when (e is CorruptDataException or InvalidNameException or ArgumentException or InvalidCastException or FormatException)
        {
            throw new CorruptDataException($"The event at position {position} cannot be read: {e.Message}", e);
        }
    }

    private static StreamName ParseStream(string name) =>
        StreamName.TryParse(name, out var stream) ? stream : throw new CorruptDataException($"A stored stream name is invalid: '{name}'.");

    private async ValueTask<T?> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = await ListAsync(sql, parameters, read, cancellationToken).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : default;
    }

    private async ValueTask<List<T>> ListAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        try
        {
            await using var command = _dataSource.CreateCommand(sql);
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
            throw PostgresErrors.Translate(e, Schema);
        }
    }
}
