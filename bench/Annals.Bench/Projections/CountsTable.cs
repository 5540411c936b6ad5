using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// The read model: one row per stream with the events counted and the position of the last one, in the store's own
/// database (the store's schema on PostgreSQL), written by SQL works that commit with the projection's checkpoint.
/// </summary>
internal sealed class CountsTable(string name)
{
    /// <summary>The measured projection's table.</summary>
    public static readonly CountsTable Measured = new("bench_project_counts");

    /// <summary>What the table holds: the events counted, the streams, and the highest position counted.</summary>
    public readonly record struct Totals(long Events, long Streams, long LastPosition);

    /// <summary>
    /// Drops and creates the table, and resets the projection's checkpoint in the same commit when a reused database
    /// holds one, so every run counts from an empty table and position 0.
    /// </summary>
    public async Task RecreateAsync(IEventStore store, string? projection, CancellationToken cancellationToken)
    {
        var batch = new CommitBatch().ExecuteSql(async (sql, ct) =>
        {
            await ExecuteAsync(sql, $"DROP TABLE IF EXISTS {Qualified(sql)}", ct);
            var columns = sql.Dialect == SqlWorkContext.PostgresDialect
                ? "stream text COLLATE \"C\" NOT NULL PRIMARY KEY, count bigint NOT NULL, last_position bigint NOT NULL"
                : "stream TEXT NOT NULL PRIMARY KEY, count INTEGER NOT NULL, last_position INTEGER NOT NULL";
            await ExecuteAsync(sql, $"CREATE TABLE {Qualified(sql)} ({columns})", ct);
        });
        if (projection is not null && await store.ReadCheckpointAsync(projection, cancellationToken) is { } stored and > 0)
        {
            batch.SaveCheckpoint(projection, 0, stored);
        }

        await store.CommitAsync(batch, cancellationToken);
    }

    public Task DropAsync(IEventStore store, CancellationToken cancellationToken) =>
        store.CommitAsync(new CommitBatch().ExecuteSql((sql, ct) => ExecuteAsync(sql, $"DROP TABLE IF EXISTS {Qualified(sql)}", ct)), cancellationToken).AsTask();

    /// <summary>
    /// The work that adds a batch's counts, already summed per stream (so no row is touched twice). PostgreSQL: one
    /// statement over arrays, one round trip. SQLite runs in process, where a round trip costs nothing: one prepared
    /// upsert, executed once per stream.
    /// </summary>
    public Func<SqlWorkContext, CancellationToken, ValueTask> Upsert(string[] streams, long[] counts, long[] lastPositions) =>
        async (sql, ct) =>
        {
            if (sql.Dialect == SqlWorkContext.PostgresDialect)
            {
                await using var command = sql.CreateCommand(
                    $"""
                    INSERT INTO {Qualified(sql)} AS c (stream, count, last_position)
                    SELECT * FROM unnest(@streams::text[], @counts::bigint[], @positions::bigint[])
                    ON CONFLICT (stream) DO UPDATE SET count = c.count + EXCLUDED.count, last_position = EXCLUDED.last_position
                    """,
                    ("@streams", streams),
                    ("@counts", counts),
                    ("@positions", lastPositions));
                await command.ExecuteNonQueryAsync(ct);
                return;
            }

            await using var upsert = sql.CreateCommand(
                $"""
                INSERT INTO {Qualified(sql)} (stream, count, last_position) VALUES (@stream, @count, @position)
                ON CONFLICT (stream) DO UPDATE SET count = count + excluded.count, last_position = excluded.last_position
                """,
                ("@stream", string.Empty),
                ("@count", 0L),
                ("@position", 0L));
            var (stream, count, position) = (upsert.Parameters["@stream"], upsert.Parameters["@count"], upsert.Parameters["@position"]);
            await upsert.PrepareAsync(ct);
            for (var i = 0; i < streams.Length; i++)
            {
                stream.Value = streams[i];
                count.Value = counts[i];
                position.Value = lastPositions[i];
                await upsert.ExecuteNonQueryAsync(ct);
            }
        };

    /// <summary>Reads the totals in a commit of its own, which sees every commit before it.</summary>
    public async Task<Totals> ReadTotalsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        var totals = default(Totals);
        await store.CommitAsync(
            new CommitBatch().ExecuteSql(async (sql, ct) =>
            {
                await using var command = sql.CreateCommand($"SELECT coalesce(sum(count), 0), count(*), coalesce(max(last_position), 0) FROM {Qualified(sql)}");
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                totals = new Totals(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }),
            cancellationToken);
        return totals;
    }

    private string Qualified(SqlWorkContext sql) => sql.Schema is { } schema ? $"{schema}.{name}" : name;

    private static async ValueTask ExecuteAsync(SqlWorkContext sql, string text, CancellationToken cancellationToken)
    {
        await using var command = sql.CreateCommand(text);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
