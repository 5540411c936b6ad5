using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Raw;
using Annals.Bench.Reporting;
using Npgsql;

namespace Annals.Bench.RawPostgres;

/// <summary>
/// <c>raw-append --store postgres</c>: the durable ceiling on PostgreSQL. W threads write the same
/// plans as the append workload with plain Npgsql, each on its own connection, one transaction
/// per commit, its rows sent as <c>--mode</c> says: per-commit, batched or copy.
/// </summary>
internal static class PostgresRawAppendWorkload
{
    public static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        var committers = new List<PostgresRawCommitter>();
        try
        {
            RawPositions positions;
            using (var setup = Open(database))
            {
                PostgresRawSchema.EnsureCreated(setup, database.Schema);
                positions = new RawPositions(PostgresRawSchema.Scalar(setup, $"SELECT coalesce(max(position), 0) FROM {database.Schema}.events"));
            }

            var writers = new List<PostgresRawWriter>();
            foreach (var plan in WriterPlan.ForAll(settings))
            {
                committers.Add(PostgresRawCommitter.Create(settings.RawMode, Open(database), database.Schema));
                writers.Add(new PostgresRawWriter(plan, committers[^1], positions, database.Schema));
                writers[^1].LoadRevisions();
            }

            Report.Progress($"raw-postgres: {settings.Writers} writers ({settings.RawMode}) warm up, then append {settings.Events} events, {settings.Batch} per commit");
            var span = RawThreads.Run(writers);
            return Results.Create(settings, span, settings.Events, database.Description, Latencies.MergeSorted(writers.Select(w => w.Latencies)));
        }
        finally
        {
            foreach (var committer in committers)
            {
                committer.Dispose();
                committer.Connection.Dispose();
            }
        }
    }

    public static NpgsqlConnection Open(BenchDatabase database)
    {
        var connection = new NpgsqlConnection(database.ConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
