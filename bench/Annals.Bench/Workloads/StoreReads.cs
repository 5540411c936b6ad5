using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>The reads of the read workloads: each reads up to a number of events and sums their data.</summary>
internal static class StoreReads
{
    public delegate Task<(long Events, long Bytes)> Read(Target target, long limit, CancellationToken cancellationToken);

    public static async Task<(long Events, long Bytes)> ReadAllAsync(Target target, long limit, CancellationToken cancellationToken)
    {
        long events = 0, bytes = 0;
        var maxCount = (int)Math.Min(limit, int.MaxValue);
        await foreach (var e in target.Store.ReadAllAsync(maxCount: maxCount, cancellationToken: cancellationToken))
        {
            events++;
            bytes += e.Data.Length;
        }

        return (events, bytes);
    }

    public static async Task<(long Events, long Bytes)> ReadStreamsAsync(Target target, long limit, CancellationToken cancellationToken)
    {
        long events = 0, bytes = 0;
        foreach (var stream in target.Streams)
        {
            await foreach (var e in target.Store.ReadStreamAsync(stream, cancellationToken: cancellationToken))
            {
                events++;
                bytes += e.Data.Length;
            }

            if (events >= limit)
            {
                break;
            }
        }

        return (events, bytes);
    }

    public static async Task<(long Events, long Bytes)> CatchUpAsync(Target target, long limit, CancellationToken cancellationToken)
    {
        long events = 0, bytes = 0;
        if (target.Head == 0)
        {
            return (0, 0);
        }

        await foreach (var e in target.Store.SubscribeAsync(afterPosition: 0, cancellationToken: cancellationToken))
        {
            events++;
            bytes += e.Data.Length;
            if (e.Position >= target.Head || events >= limit)
            {
                break;
            }
        }

        return (events, bytes);
    }

    /// <summary>A prepared store, its streams, and its head when preparation ended.</summary>
    public sealed record Target(IEventStore Store, StreamName[] Streams, long Head);
}
