using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Bench.Reporting;

namespace Annals.Bench.Workloads;

/// <summary>
/// <c>read-all</c>, <c>read-stream</c> and <c>catch-up</c>: prepare a store (not measured; on PostgreSQL
/// followed by VACUUM ANALYZE), open it afresh as a starting process would, warm up on the first
/// events, then read everything once.
/// </summary>
internal static class ReadWorkloads
{
    private const int WarmUpEvents = 1000;

    public static Task<BenchResult> ReadAllAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, StoreReads.ReadAllAsync, cancellationToken);

    public static Task<BenchResult> ReadStreamsAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, StoreReads.ReadStreamsAsync, cancellationToken);

    public static Task<BenchResult> CatchUpAsync(BenchSettings settings, CancellationToken cancellationToken) =>
        RunAsync(settings, StoreReads.CatchUpAsync, cancellationToken);

    private static async Task<BenchResult> RunAsync(BenchSettings settings, StoreReads.Read read, CancellationToken cancellationToken)
    {
        using var database = BenchDatabase.Open(settings);
        var store = await StorePreparer.OpenFilledAsync(settings, database, always: false, cancellationToken);
        try
        {

            var target = new StoreReads.Target(
                store,
                await StorePreparer.ListStreamsAsync(store, cancellationToken),
                await store.GetHeadPositionAsync(cancellationToken));
            await JitWarmUp.RepeatAsync(settings.Warmup, () => read(target, WarmUpEvents, cancellationToken));

            Report.Progress($"{settings.Store}: {settings.Workload} up to position {target.Head}");
            var measurement = Measurement.Start();
            var (events, bytes) = await read(target, long.MaxValue, cancellationToken);
            var span = measurement.Stop();
            return Results.Create(settings, span, events, database.Description, streams: target.Streams.Length, dataBytes: bytes);
        }
        finally
        {
            await store.DisposeAsync();
        }
    }
}
