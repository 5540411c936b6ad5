using Annals.Storage;


namespace Annals.TestWorker.Projections;

/// <summary>
/// The read model the worker's projection keeps: per stream, how many of its events were handled and the position of
/// the last one, in a table <c>tally</c> of the store's own database (in the store's schema on PostgreSQL). Written only
/// inside commits, so it is exactly as far as the projection's checkpoint.
/// </summary>
public static class Tally
{
    /// <summary>Creates the table unless it exists.</summary>
    /// <param name="store">The store whose database holds it.</param>
    /// <param name="cancellationToken">Cancels the commit.</param>
    /// <returns>A task that completes when the table exists.</returns>
    public static async Task CreateAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        await store.CommitAsync(
            new CommitBatch().ExecuteSql(async (sql, ct) =>
            {
                await using var command = sql.CreateCommand($"CREATE TABLE IF NOT EXISTS {Table(sql)} (stream text PRIMARY KEY, events bigint NOT NULL, last_position bigint NOT NULL)");
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Counts events into the table, one upsert per event, inside the commit the work belongs to.</summary>
    /// <param name="sql">The work's context.</param>
    /// <param name="events">Each event's stream and position, in log order.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when every event is counted.</returns>
    public static async ValueTask CountAsync(SqlWorkContext sql, IReadOnlyList<(string Stream, long Position)> events, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(
            $"""
            INSERT INTO {Table(sql)} AS t (stream, events, last_position) VALUES (@stream, 1, @position)
            ON CONFLICT (stream) DO UPDATE SET events = t.events + 1, last_position = excluded.last_position
            """,
            ("@stream", null),
            ("@position", null));
        var (stream, position) = (command.Parameters["@stream"], command.Parameters["@position"]);
        foreach (var e in events)
        {
            stream.Value = e.Stream;
            position.Value = e.Position;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Compares the table with the log up to a position (the projection's checkpoint): every stream with events there
    /// must have exactly that many counted and its last one's position, and no other stream a row.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="upTo">The position the table should have counted up to.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One line per stream that differs; empty when the table is exact.</returns>
    public static async Task<List<string>> DifferencesAsync(IEventStore store, long upTo, CancellationToken cancellationToken = default)
    {
        var expected = new Dictionary<string, (long Events, long LastPosition)>(StringComparer.Ordinal);
        await foreach (var e in store.ReadAllAsync(0, null, int.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            if (e.Position > upTo)
            {
                break;
            }

            var (events, _) = expected.GetValueOrDefault(e.Stream.Value);
            expected[e.Stream.Value] = (events + 1, e.Position);
        }

        var actual = await ReadAsync(store, cancellationToken).ConfigureAwait(false);
        var differences = new List<string>();
        foreach (var stream in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            var wanted = expected.TryGetValue(stream, out var w) ? w : ((long, long)?)null;
            var counted = actual.TryGetValue(stream, out var a) ? a : ((long, long)?)null;
            if (wanted != counted)
            {
                differences.Add($"{stream}: the tally has {Describe(counted)}, the log up to {upTo} has {Describe(wanted)}");
            }
        }

        return differences;
    }

    /// <summary>Reads the table, in a commit of its own.</summary>
    /// <param name="store">The store whose database holds it.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Each stream's count and last position.</returns>
    private static async Task<Dictionary<string, (long Events, long LastPosition)>> ReadAsync(IEventStore store, CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await store.CommitAsync(
            new CommitBatch().ExecuteSql(async (sql, ct) =>
            {
                // A work may run again for one commit: start from empty each time.
                rows.Clear();
                await using var command = sql.CreateCommand($"SELECT stream, events, last_position FROM {Table(sql)}");
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
                }
            }),
            cancellationToken).ConfigureAwait(false);
        return rows;
    }

    private static string Describe((long Events, long LastPosition)? row) =>
        row is { } r ? $"{r.Events} events, the last at {r.LastPosition}" : "nothing";

    private static string Table(SqlWorkContext sql) => sql.Schema is { } schema ? $"{schema}.tally" : "tally";
}
