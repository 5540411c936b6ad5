using System.Diagnostics;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>One writer task of the append workload: commits its plan to the store, rotating among its streams.</summary>
internal sealed class StoreWriter(WriterPlan plan)
{
    private readonly long?[] _lastRevisions = new long?[plan.Streams.Length];
    private int _next;

    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Picks up where earlier runs left the streams (with --db), so the expectations hold.</summary>
    public async Task LoadRevisionsAsync(IEventStore store, CancellationToken cancellationToken)
    {
        for (var k = 0; k < plan.Streams.Length; k++)
        {
            var info = await store.GetStreamInfoAsync(plan.Streams[k], cancellationToken);
            _lastRevisions[k] = info?.LastRevision;
        }
    }

    public async Task WarmUpAsync(IEventStore store, CancellationToken cancellationToken)
    {
        foreach (var events in plan.WarmUp)
        {
            await CommitAsync(store, events, cancellationToken);
        }
    }

    public async Task RunAsync(IEventStore store, Task start, CancellationToken cancellationToken)
    {
        await start;
        foreach (var events in plan.Measured)
        {
            var started = Stopwatch.GetTimestamp();
            await CommitAsync(store, events, cancellationToken);
            Latencies.Add(started);
        }
    }

    private async Task CommitAsync(IEventStore store, EventData[] events, CancellationToken cancellationToken)
    {
        var k = _next++ % plan.Streams.Length;
        var batch = new CommitBatch().Append(plan.Streams[k], ExpectedRevision.From(_lastRevisions[k]), events);
        var result = await store.CommitAsync(batch, cancellationToken);
        _lastRevisions[k] = result.Appends[0].LastRevision;
    }
}
