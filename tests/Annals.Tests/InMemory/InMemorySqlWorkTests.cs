using System.Text;
using Annals.InMemory;
using Annals.Storage;
using Xunit;

namespace Annals.Tests.InMemory;

public sealed class InMemorySqlWorkTests
{
    [Fact]
    public async Task A_batch_with_SQL_work_is_rejected_and_nothing_is_stored()
    {
        await using var store = new InMemoryEventStore();
        var stream = StreamName.Parse("order.1");
        var ran = false;

        var error = await Assert.ThrowsAsync<InvalidBatchException>(async () => await store.CommitAsync(new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, new EventData(Guid.NewGuid(), "Placed", Encoding.UTF8.GetBytes("{}")))
            .ExecuteSql((_, _) =>
            {
                ran = true;
                return ValueTask.CompletedTask;
            })
            .SaveCheckpoint("order-totals", 1, null)));

        Assert.Equal("Invalid batch: SQL work needs the SQLite or PostgreSQL store; the in-memory store has no database to run it in.", error.Message);
        Assert.False(ran);
        Assert.Null(await store.GetStreamInfoAsync(stream));
        Assert.Null(await store.ReadCheckpointAsync("order-totals"));
        Assert.Equal(0, await store.GetHeadPositionAsync());
    }
}
