using Annals.Projections;
using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>
/// The projection under test, in exactly-once mode: counts each batch's events per stream in memory, then adds the
/// counts to the read model with one SQL work in the commit that saves the checkpoint past the batch.
/// </summary>
/// <param name="table">The read model.</param>
/// <param name="observe">Called with each batch as it is handed over, before its commit (live: delivery times).</param>
internal sealed class CountingProjection(CountsTable table, Action<IReadOnlyList<RecordedEvent>>? observe = null) : IProjection
{
    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        observe?.Invoke(batch.Events);

        // Events come in log order, so the last one seen of a stream has its highest position.
        var perStream = new Dictionary<StreamName, (long Count, long LastPosition)>();
        foreach (var e in batch.Events)
        {
            perStream.TryGetValue(e.Stream, out var seen);
            perStream[e.Stream] = (seen.Count + 1, e.Position);
        }

        var streams = new string[perStream.Count];
        var counts = new long[perStream.Count];
        var positions = new long[perStream.Count];
        var i = 0;
        foreach (var (stream, (count, last)) in perStream)
        {
            streams[i] = stream.Value;
            counts[i] = count;
            positions[i] = last;
            i++;
        }

        // The work only reads these arrays: it may run more than once for one commit.
        batch.Commit.ExecuteSql(table.Upsert(streams, counts, positions));
        return ValueTask.CompletedTask;
    }
}
