using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a store keeps checkpoints as the storage contract says: each save names the stored
/// position it replaces (null for none), a wrong one changes nothing, checkpoints commit
/// atomically with the batch's other operations (exactly-once projections rely on it), and
/// consumers do not affect each other.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class CheckpointConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected CheckpointConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many writers race to save over the same checkpoint in the concurrency test.</summary>
    protected virtual int ConcurrentWriters => 16;

    /// <summary>How many times the writers race in the concurrency test.</summary>
    protected virtual int ConcurrencyRounds => 20;

    /// <summary>The first checkpoint of a consumer is saved expecting none, and reads back.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task First_checkpoint_is_saved_expecting_none_and_reads_back()
    {
        await using var store = await NewStoreAsync();

        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 42, expectedPosition: null));

        Assert.Equal(42, await store.ReadCheckpointAsync("orders"));
    }

    /// <summary>Each later save expects the stored position and replaces it.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Later_saves_expect_the_stored_position_and_replace_it()
    {
        await using var store = await NewStoreAsync();
        long? stored = null;

        foreach (var position in new long[] { 3, 7, 8, 1_000, long.MaxValue / 2 })
        {
            await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", position, stored));
            Assert.Equal(position, await store.ReadCheckpointAsync("orders"));
            stored = position;
        }
    }

    /// <summary>A save expecting a position other than the stored one is rejected with the facts, and the checkpoint stays.</summary>
    /// <param name="expected">The position the save expects; the stored position is 10. -1 stands for none.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Save_expecting_a_wrong_position_is_rejected_and_changes_nothing(long expected)
    {
        await using var store = await NewStoreAsync();
        long? expectedPosition = expected < 0 ? null : expected;
        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 10, null));
        var before = await FingerprintAsync(store, consumers: ["orders"]);

        var error = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 12, expectedPosition)).AsTask());

        Assert.Equal("orders", error.Consumer);
        Assert.Equal(expectedPosition, error.Expected);
        Assert.Equal(10, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, consumers: ["orders"]));
        Assert.Equal(10, await store.ReadCheckpointAsync("orders"));
    }

    /// <summary>A save expecting a position when none is stored is rejected with actual null, and nothing is stored.</summary>
    /// <param name="expected">The position the save expects.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task Save_expecting_a_position_when_none_is_stored_is_rejected(long expected)
    {
        await using var store = await NewStoreAsync();
        var before = await FingerprintAsync(store, consumers: ["orders"]);

        var error = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 7, expected)).AsTask());

        Assert.Equal("orders", error.Consumer);
        Assert.Equal(expected, error.Expected);
        Assert.Null(error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, consumers: ["orders"]));
        Assert.Null(await store.ReadCheckpointAsync("orders"));
    }

    /// <summary>The checkpoint conflict error names the consumer, the expected and the stored position.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Checkpoint_conflict_fails_with_a_message_naming_both_positions()
    {
        await using var store = await NewStoreAsync();
        await store.CommitAsync(new CommitBatch().SaveCheckpoint("projections/orders", 10, null));

        var stale = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint("projections/orders", 20, 9)).AsTask());
        var fresh = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint("projections/orders", 20, null)).AsTask());

        Assert.Equal("Checkpoint 'projections/orders' was expected at position 9 but is at position 10.", stale.Message);
        Assert.Equal("Checkpoint 'projections/orders' was expected not to exist but is at position 10.", fresh.Message);
    }

    /// <summary>Position 0 is a stored checkpoint, not the absence of one.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Position_0_is_a_valid_checkpoint_distinct_from_none()
    {
        await using var store = await NewStoreAsync();

        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 0, null));

        Assert.Equal(0L, await store.ReadCheckpointAsync("orders"));
        var error = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 5, null)).AsTask());
        Assert.Null(error.Expected);
        Assert.Equal(0L, error.Actual);

        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 5, 0));
        Assert.Equal(5L, await store.ReadCheckpointAsync("orders"));
        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 0, 5));
        Assert.Equal(0L, await store.ReadCheckpointAsync("orders"));
    }

    /// <summary>Reading the checkpoint of a consumer that has none returns null.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reading_an_unknown_consumer_returns_null()
    {
        await using var store = await NewStoreAsync();
        Assert.Null(await store.ReadCheckpointAsync("orders"));

        await store.CommitAsync(new CommitBatch().SaveCheckpoint("orders", 4, null));

        Assert.Null(await store.ReadCheckpointAsync("orders2"));
        Assert.Null(await store.ReadCheckpointAsync("order"));
    }

    /// <summary>Checkpoints of different consumers, also of similar names, do not affect each other.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Consumers_are_independent()
    {
        await using var store = await NewStoreAsync();
        string[] consumers = ["orders", "Orders", "orders.v2", "orders:v2", "orders/v2", "orders-v2"];

        for (var i = 0; i < consumers.Length; i++)
        {
            await store.CommitAsync(new CommitBatch().SaveCheckpoint(consumers[i], 100 + i, null));
        }

        await store.CommitAsync(new CommitBatch().SaveCheckpoint(consumers[0], 500, 100));
        var error = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch().SaveCheckpoint(consumers[1], 600, 500)).AsTask());
        Assert.Equal(("Orders", 500L, 101L), (error.Consumer, error.Expected, error.Actual));

        Assert.Equal(500L, await store.ReadCheckpointAsync(consumers[0]));
        for (var i = 1; i < consumers.Length; i++)
        {
            Assert.Equal(100L + i, await store.ReadCheckpointAsync(consumers[i]));
        }
    }

    /// <summary>Consumer names with '.', ':' and '/' and of the longest allowed length are stored and read back under that exact name.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Consumer_names_with_dot_colon_and_slash_are_accepted()
    {
        await using var store = await NewStoreAsync();
        string[] consumers =
        [
            "app.projections:orders/v2",
            "a.b",
            "a:b",
            "a/b",
            "a_b",
            ".:/",
            "/leading/slash",
            new string('x', 199) + "/",
        ];

        for (var i = 0; i < consumers.Length; i++)
        {
            await store.CommitAsync(new CommitBatch().SaveCheckpoint(consumers[i], i + 1, null));
        }

        for (var i = 0; i < consumers.Length; i++)
        {
            Assert.Equal(i + 1L, await store.ReadCheckpointAsync(consumers[i]));
            await store.CommitAsync(new CommitBatch().SaveCheckpoint(consumers[i], i + 10, i + 1));
            Assert.Equal(i + 10L, await store.ReadCheckpointAsync(consumers[i]));
        }
    }

    /// <summary>A checkpoint saved with appends is stored with them, and a failed append expectation leaves the checkpoint unchanged.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Checkpoint_commits_atomically_with_appends()
    {
        await using var store = await NewStoreAsync();
        var source = S("order.1");
        var view = S("orderview.1");
        var appended = await store.AppendAsync(source, ExpectedRevision.NoStream, NewEvents(3));

        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(view, ExpectedRevision.NoStream, NewEvent("Projected"))
            .SaveCheckpoint("order-view", appended.LastPosition, null));
        Assert.Equal(appended.LastPosition, await store.ReadCheckpointAsync("order-view"));
        Assert.Single(await ReadStreamAsync(store, view));

        var more = await store.AppendAsync(source, ExpectedRevision.Exact(2), NewEvent());
        var before = await FingerprintAsync(store, [source, view], consumers: ["order-view"]);

        // The checkpoint alone would be valid; the append's expectation fails.
        var error = await store.CommitFailsAsync<WrongExpectedRevisionException>(new CommitBatch()
            .SaveCheckpoint("order-view", more.LastPosition, appended.LastPosition)
            .Append(view, ExpectedRevision.NoStream, NewEvent("Projected")));
        if (error is not null)
        {
            Assert.Equal(view, error.Stream);
            Assert.Equal(0L, error.Actual);
        }

        Assert.Equal(before, await FingerprintAsync(store, [source, view], consumers: ["order-view"]));
        Assert.Equal(appended.LastPosition, await store.ReadCheckpointAsync("order-view"));
    }

    /// <summary>A checkpoint conflict rejects every other operation of its batch.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Checkpoint_conflict_rejects_the_whole_batch()
    {
        await using var store = await NewStoreAsync();
        var view = S("orderview.1");
        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveCheckpoint("order-view", 10, null).SaveCheckpoint("other-view", 3, null));
        var before = await FingerprintAsync(store, [view], consumers: ["order-view", "other-view"]);

        await store.CommitFailsAsync<CheckpointConflictException>(new CommitBatch()
            .Append(view, ExpectedRevision.NoStream, NewEvent("Projected"))
            .SaveCheckpoint("other-view", 4, 3)
            .SaveCheckpoint("order-view", 11, 9));

        Assert.Equal(before, await FingerprintAsync(store, [view], consumers: ["order-view", "other-view"]));
        Assert.Equal(3L, await store.ReadCheckpointAsync("other-view"));
        Assert.Null(await store.GetStreamInfoAsync(view));
    }

    /// <summary>Of writers racing to move the same checkpoint from the same position, exactly one wins.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Concurrent_saves_expecting_the_same_position_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        using var timeout = new CancellationTokenSource(Patience);
        long? stored = null;

        for (var round = 0; round < ConcurrencyRounds; round++)
        {
            var expected = stored;
            var basePosition = (round + 1) * 1_000L;
            var outcomes = await RaceAsync<CheckpointConflictException>(
                ConcurrentWriters,
                (writer, ct) => store.CommitAsync(new CommitBatch().SaveCheckpoint("contended", basePosition + writer, expected), ct).AsTask(),
                timeout.Token);

            var winner = basePosition + SingleWinner(outcomes, $"round {round}").Racer;
            foreach (var loser in outcomes.Where(o => !o.Won))
            {
                Assert.Equal(expected, loser.Error!.Expected);
                Assert.Equal(winner, loser.Error.Actual);
            }

            Assert.Equal(winner, await store.ReadCheckpointAsync("contended"));
            stored = winner;
        }
    }
}
