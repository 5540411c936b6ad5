using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.RawNats;
using Annals.Bench.RawPostgres;
using Annals.Bench.Reporting;
using Annals.Storage;

namespace Annals.Bench.Raw;

/// <summary><c>raw-read</c>: the read ceiling; the same rows as read-all prepares, read with plain ADO.NET (PostgreSQL: <see cref="PostgresRawReadWorkload"/>; NATS: <see cref="NatsRawReadWorkload"/>).</summary>
internal static class RawReadWorkload
{
    private const int WarmUpEvents = 1000;

    public static Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        settings.IsNats
            ? NatsRawReadWorkload.RunAsync(settings)
            : Task.Run(() => settings.IsPostgres ? PostgresRawReadWorkload.Run(settings) : Run(settings), cancellationToken);

    private static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        long streams;
        using (var connection = RawConnection.Open(database.Path, settings.IsDurable))
        {
            RawSchema.EnsureCreated(connection);
            if (RawSchema.CountEvents(connection) == 0)
            {
                Fill(connection, settings);
            }
            else
            {
                Report.Progress("the database already holds events; reading those");
            }

            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(DISTINCT stream) FROM events;";
            streams = (long)count.ExecuteScalar()!;
        }

        // A fresh connection, as the store's reads get after it is reopened.
        using var reading = RawConnection.Open(database.Path, settings.IsDurable);
        JitWarmUp.Repeat(settings.Warmup, () => RawReader.Read(reading, WarmUpEvents));

        Report.Progress("raw: reading every event");
        var measurement = Measurement.Start();
        var (events, bytes) = RawReader.Read(reading, long.MaxValue);
        var span = measurement.Stop();
        return Results.Create(settings, span, events, database.Description, streams: streams, dataBytes: bytes);
    }

    /// <summary>Fills a raw database with the events the store-backed read workloads prepare.</summary>
    internal static void Fill(Microsoft.Data.Sqlite.SqliteConnection connection, BenchSettings settings)
    {
        var layout = new PreparedLayout(settings.Events, settings.StreamSize);
        Report.Progress($"preparing {layout.Events} events in {layout.StreamCount} streams");
        var random = new Random(PreparedLayout.Seed);
        using var committer = new RawCommitter(connection);
        foreach (var commit in layout.Commits())
        {
            var appends = new List<(string, EventData[])>();
            for (var k = commit.Start.Value; k < commit.End.Value; k++)
            {
                appends.Add((StreamNames.Prepared(k).Value, Payloads.Many(random, layout.EventsIn(k))));
            }

            committer.Commit(appends);
        }
    }
}
