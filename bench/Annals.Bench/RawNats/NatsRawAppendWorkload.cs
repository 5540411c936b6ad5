using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Raw;
using Annals.Bench.Reporting;
using NATS.Client.JetStream;

namespace Annals.Bench.RawNats;

/// <summary>
/// <c>raw-append --store nats</c>: the ceiling on NATS. W threads write the same plans as the append workload with
/// plain NATS.Net on one connection, as an application shares one: one acknowledged publish per event.
/// </summary>
internal static class NatsRawAppendWorkload
{
    public static BenchResult Run(BenchSettings settings)
    {
        using var database = BenchDatabase.Open(settings);
        var connection = NatsBench.Connect(database.NatsUrl);
        try
        {
            var js = new NatsJSContext(connection);
            NatsBench.EnsureRawStreamAsync(js, database.Schema).GetAwaiter().GetResult();
            var writers = WriterPlan.ForAll(settings).Select(plan => new NatsRawWriter(plan, js, NatsBench.RawStream(database.Schema))).ToArray();
            Report.Progress($"raw-nats: {settings.Writers} writers warm up, then publish {settings.Events} events, one acknowledged message each");
            var span = RawThreads.Run(writers);
            return Results.Create(settings, span, settings.Events, database.Description, Latencies.MergeSorted(writers.Select(w => w.Latencies)));
        }
        finally
        {
            connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
