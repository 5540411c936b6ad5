using Annals.Bench.Raw;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>
/// <c>raw-read --store postgres</c>: the read ceiling on PostgreSQL; the same rows as read-all
/// prepares (binary COPY, then VACUUM ANALYZE), read with plain Npgsql in one query.
/// </summary>
internal static class PostgresRawReadWorkload
{
    private const int WarmUpEvents = 1000;

    public static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        long streams;
        using (var connection = PostgresRawAppendWorkload.Open(database))
        {
            PostgresRawSchema.EnsureCreated(connection, database.Schema);
            if (PostgresRawSchema.Scalar(connection, $"SELECT count(*) FROM {database.Schema}.events") == 0)
            {
                Fill(connection, database.Schema, settings);
                PostgresMaintenance.Vacuum(database, "events");
            }
            else
            {
                Report.Progress("the schema already holds events; reading those");
            }

            streams = PostgresRawSchema.Scalar(connection, $"SELECT count(DISTINCT stream) FROM {database.Schema}.events");
        }

        // A fresh connection (a new physical one: the pool is cleared), as the store's reads get after it is reopened.
        NpgsqlConnection.ClearAllPools();
        using var reading = PostgresRawAppendWorkload.Open(database);
        JitWarmUp.Repeat(settings.Warmup, () => RawReader.Read(reading, database.Schema, WarmUpEvents));

        Report.Progress("raw-postgres: reading every event");
        var measurement = Measurement.Start();
        var (events, bytes) = RawReader.Read(reading, database.Schema, long.MaxValue);
        var span = measurement.Stop();
        return Results.Create(settings, span, events, database.Description, streams: streams, dataBytes: bytes);
    }

    private static void Fill(NpgsqlConnection connection, string schema, BenchSettings settings)
    {
        var layout = new PreparedLayout(settings.Events, settings.StreamSize);
        Report.Progress($"preparing {layout.Events} events in {layout.StreamCount} streams");
        var random = new Random(PreparedLayout.Seed);
        using var copy = new PostgresBinaryCopy(connection, schema);
        long position = 1;
        foreach (var commit in layout.Commits())
        {
            var appends = new List<RawAppend>();
            for (var k = commit.Start.Value; k < commit.End.Value; k++)
            {
                var events = Payloads.Many(random, layout.EventsIn(k));
                appends.Add(new RawAppend(StreamNames.Prepared(k).Value, 0, position, events));
                position += events.Length;
            }

            copy.Commit(appends);
        }
    }
}
