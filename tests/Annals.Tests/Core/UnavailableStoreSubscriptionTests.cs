using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Tests.Core;

/// <summary>A subscription waits out an unavailable store only when its backend says the store can come back.</summary>
public sealed class UnavailableStoreSubscriptionTests
{
    [Fact]
    public async Task A_store_that_cannot_come_back_fails_the_subscription_with_its_error()
    {
        await using var store = new OnceUnavailableStore(resumes: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
        {
            await foreach (var _ in store.SubscribeAsync(cancellationToken: timeout.Token))
            {
            }
        });

        Assert.Equal("away", error.Message);
    }

    [Fact]
    public async Task A_server_that_comes_back_is_waited_for_and_the_subscription_goes_on()
    {
        await using var store = new OnceUnavailableStore(resumes: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        await using var subscription = store.SubscribeAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await subscription.MoveNextAsync());
        Assert.Equal(1, subscription.Current.Position);
    }

    /// <summary>A log whose first read fails as unavailable and whose next read finds one event.</summary>
    private sealed class OnceUnavailableStore(bool resumes) : EventStoreBase(maxEventBytes: 1024)
    {
        private int _reads;

        protected override bool ResumesWhenAvailable => resumes;

        protected override ValueTask<LogPage> ReadLogPageAsync(long afterPosition, EventFilter filter, int count, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                throw new StoreUnavailableException("away", null);
            }

            IReadOnlyList<RecordedEvent> events = afterPosition == 0
                ? [new RecordedEvent(Guid.NewGuid(), StreamName.Parse("order.1"), 0, 1, "Placed", "{}"u8.ToArray(), new Dictionary<string, string>(), DateTimeOffset.UnixEpoch)]
                : [];
            return ValueTask.FromResult(new LogPage(events, Math.Max(afterPosition, 1), AtEnd: true));
        }

        protected override Task? NextAppendSignal() => Task.CompletedTask;

        protected override Task WaitForAppendAsync(Task nextAppend, CancellationToken cancellationToken) => Task.Delay(10, cancellationToken);

        protected override ValueTask<StreamInfo?> GetStreamInfoCoreAsync(StreamName stream, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        protected override ValueTask<Snapshot?> ReadSnapshotCoreAsync(StreamName stream, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override ValueTask<DurableState?> ReadStateCoreAsync(StreamName key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        protected override ValueTask<CommitResult> CommitCoreAsync(BatchOperation[] operations, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamPageAsync(StreamName stream, long fromRevision, int count, bool forward, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override IAsyncEnumerable<StreamInfo> ListStreamsCore(string? category, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override ValueTask<long?> ReadCheckpointCoreAsync(string consumer, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override ValueTask<IReadOnlyList<QueueMessage>> ReadDueMessagesCoreAsync(string queue, DateTimeOffset dueBy, int maxCount, CancellationToken cancellationToken) => throw new NotSupportedException();

        protected override ValueTask<QueueMessage?> ReadMessageCoreAsync(string queue, Guid messageId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
