using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.RawNats;
using Annals.Bench.RawPostgres;
using Annals.Bench.Reporting;

namespace Annals.Bench.Raw;

/// <summary>
/// <c>raw-append</c>: the durable ceiling. W threads write the same plans as the append workload
/// with plain ADO.NET, one transaction (and one flush) per commit, sharing one connection under
/// a lock (<c>--sharing lock</c>) or each on its own connection with busy_timeout (<c>connections</c>).
/// PostgreSQL's baselines are in <see cref="PostgresRawAppendWorkload"/>, NATS's in <see cref="NatsRawAppendWorkload"/>.
/// </summary>
internal static class RawAppendWorkload
{
    public static Task<BenchResult> RunAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() => settings.IsPostgres ? PostgresRawAppendWorkload.Run(settings) : settings.IsNats ? NatsRawAppendWorkload.Run(settings) : Run(settings), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        var shared = settings.RawSharing == "lock";
        var committers = new List<RawCommitter>();
        try
        {
            RawCommitter Committer()
            {
                if (shared && committers.Count > 0)
                {
                    return committers[0];
                }

                var connection = RawConnection.Open(database.Path, settings.IsDurable);
                RawSchema.EnsureCreated(connection);
                committers.Add(new RawCommitter(connection));
                return committers[^1];
            }

            var gate = shared ? new Lock() : null;
            var writers = WriterPlan.ForAll(settings).Select(plan => new RawWriter(plan, Committer(), gate)).ToArray();
            foreach (var writer in writers)
            {
                writer.LoadRevisions();
            }

            Report.Progress($"raw: {settings.Writers} writers ({settings.RawSharing}) warm up, then append {settings.Events} events, {settings.Batch} per commit");
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
}
