using Annals.InMemory;
using Annals.Projections;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Tests.Projections;

public sealed class BatchReaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Behind_the_log_it_hands_out_catch_up_batches_and_once_caught_up_batches_of_what_arrived()
    {
        await using var store = new InMemoryEventStore();
        for (var i = 0; i < 10; i++)
        {
            await store.AppendAsync(StreamName.For("order", $"o{i}"), ExpectedRevision.Any, Events(1000, bytes: 10));
        }

        var options = new ProjectionOptions { BatchSize = 100, CatchUpBatchSize = 1000 };
        await using var reader = new BatchReader(store, 0, options, TimeProvider.System, CancellationToken.None);
        await WaitUntilAsync(() => reader.Buffered == 2000);

        var sizes = new List<int>();
        long last = 0;
        while (last < 10_000)
        {
            var batch = await reader.NextAsync(Patience, CancellationToken.None);
            Assert.Equal(Enumerable.Range((int)last + 1, batch.Count).Select(p => (long)p), batch.Select(e => e.Position));
            sizes.Add(batch.Count);
            last = batch[^1].Position;
        }

        Assert.Equal(1000, sizes[0]);
        Assert.All(sizes, size => Assert.InRange(size, 1, 1000));

        await store.AppendAsync(StreamName.For("order", "late"), ExpectedRevision.Any, Events(1, bytes: 10));
        var live = await reader.NextAsync(Patience, CancellationToken.None);
        Assert.Equal([10_001L], live.Select(e => e.Position));
    }

    [Fact]
    public async Task Large_events_are_read_ahead_only_up_to_the_byte_bound_and_a_catch_up_batch_stops_at_the_page_target()
    {
        const int EventBytes = 100_000;
        await using var store = new InMemoryEventStore();
        for (var i = 0; i < 4; i++)
        {
            await store.AppendAsync(StreamName.For("order", $"o{i}"), ExpectedRevision.Any, Events(100, EventBytes));
        }

        var options = new ProjectionOptions { BatchSize = 10, CatchUpBatchSize = 1000 };
        await using var reader = new BatchReader(store, 0, options, TimeProvider.System, CancellationToken.None);

        // The pump stops once the buffer holds the bound or more: 168 events of 100,000 bytes cross 16 MiB.
        var bound = (int)(BatchReader.MaxBufferedBytes / EventBytes) + 1;
        await WaitUntilAsync(() => reader.IsWaitingForRoom);
        Assert.Equal(bound, reader.Buffered);

        // 84 events of 100,000 bytes are the first to reach 8 MiB.
        var batch = await reader.NextAsync(Patience, CancellationToken.None);
        Assert.Equal((int)(LogPageSizer.TargetBytes / EventBytes) + 1, batch.Count);

        // Drained below the bound, the pump reads on; every event arrives once, in order.
        var positions = batch.Select(e => e.Position).ToList();
        while (positions.Count < 400)
        {
            positions.AddRange((await reader.NextAsync(Patience, CancellationToken.None)).Select(e => e.Position));
        }

        Assert.Equal(Enumerable.Range(1, 400).Select(p => (long)p), positions);
    }

    private static EventData[] Events(int count, int bytes) =>
        [.. Enumerable.Range(0, count).Select(_ => new EventData(Guid.NewGuid(), "Placed", new byte[bytes]))];

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }
}
