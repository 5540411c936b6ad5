using System.Text;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a store keeps durable state as the storage contract says: each save carries the stored
/// version + 1 (1 for a new key), a delete carries the stored version, a wrong version changes
/// nothing, and of concurrent saves of the same version exactly one wins.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class StateConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected StateConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many writers race to save the same version in the concurrency test.</summary>
    protected virtual int ConcurrentWriters => 16;

    /// <summary>How many times the writers race in the concurrency test.</summary>
    protected virtual int ConcurrencyRounds => 20;

    /// <summary>The first save, at version 1, reads back with its key, version, type, every data byte and a timestamp.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task First_save_at_version_1_reads_back_with_type_exact_data_and_timestamp()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        byte[] data = [.. Enumerable.Range(0, 256).Select(i => (byte)i), 0];

        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "Cart-v1_state", data));

        var state = await store.ReadStateAsync(key);
        Assert.NotNull(state);
        Assert.Equal(key, state.Key);
        Assert.Equal(1, state.Version);
        Assert.Equal("Cart-v1_state", state.Type);
        Assert.Equal(data, state.Data.ToArray());
        Assert.NotEqual(default, state.Timestamp);
    }

    /// <summary>A state with empty data reads back with empty data.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task State_with_empty_data_reads_back_empty()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");

        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "Cart", ReadOnlyMemory<byte>.Empty));

        var state = await store.ReadStateAsync(key);
        Assert.NotNull(state);
        Assert.Equal(0, state.Data.Length);
    }

    /// <summary>A first save at a version other than 1 is rejected with expected 1 and actual 0, and nothing is stored.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task First_save_must_be_version_1()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        var before = await FingerprintAsync(store, stateKeys: [key]);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().SaveState(key, 2, "Cart", Text("v2"))).AsTask());

        Assert.Equal(key, error.Key);
        Assert.Equal(1, error.Expected);
        Assert.Equal(0, error.Actual);
        Assert.Equal("State 'cart.1' was expected at version 1 but is at version 0.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, stateKeys: [key]));
        Assert.Null(await store.ReadStateAsync(key));
    }

    /// <summary>Each save carries the previous version + 1 and replaces the state.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Each_save_carries_the_previous_version_plus_1_and_replaces_the_state()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");

        for (var version = 1L; version <= 5; version++)
        {
            await store.CommitAsync(new CommitBatch().SaveState(key, version, $"CartV{version}", Text($"items={version}")));

            var state = await store.ReadStateAsync(key);
            Assert.NotNull(state);
            Assert.Equal(version, state.Version);
            Assert.Equal($"CartV{version}", state.Type);
            Assert.Equal($"items={version}", Encoding.UTF8.GetString(state.Data.Span));
        }
    }

    /// <summary>A save that skips or repeats a version is rejected with the facts, and the stored state stays.</summary>
    /// <param name="version">The version of the rejected save; the stored version is 3.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(100)]
    public async Task Save_that_skips_or_repeats_a_version_is_rejected_and_changes_nothing(long version)
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        for (var v = 1L; v <= 3; v++)
        {
            await store.CommitAsync(new CommitBatch().SaveState(key, v, "Cart", Text($"v{v}")));
        }

        var before = await FingerprintAsync(store, stateKeys: [key]);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().SaveState(key, version, "Other", Text("rejected"))).AsTask());

        Assert.Equal(key, error.Key);
        Assert.Equal(version - 1, error.Expected);
        Assert.Equal(3, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, stateKeys: [key]));
        var state = await store.ReadStateAsync(key);
        Assert.NotNull(state);
        Assert.Equal((3L, "Cart", "v3"), (state.Version, state.Type, Encoding.UTF8.GetString(state.Data.Span)));
    }

    /// <summary>DeleteState at the stored version removes the state.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task DeleteState_at_the_stored_version_removes_the_state()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "Cart", Text("v1")));
        await store.CommitAsync(new CommitBatch().SaveState(key, 2, "Cart", Text("v2")));

        await store.CommitAsync(new CommitBatch().DeleteState(key, 2));

        Assert.Null(await store.ReadStateAsync(key));
    }

    /// <summary>DeleteState at a version other than the stored one is rejected with the facts, and the state stays.</summary>
    /// <param name="expectedVersion">The version the delete expects; the stored version is 2.</param>
    /// <returns>The test.</returns>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task DeleteState_at_a_wrong_version_is_rejected_and_changes_nothing(long expectedVersion)
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "Cart", Text("v1")));
        await store.CommitAsync(new CommitBatch().SaveState(key, 2, "Cart", Text("v2")));
        var before = await FingerprintAsync(store, stateKeys: [key]);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().DeleteState(key, expectedVersion)).AsTask());

        Assert.Equal(key, error.Key);
        Assert.Equal(expectedVersion, error.Expected);
        Assert.Equal(2, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, stateKeys: [key]));
        Assert.Equal(2, (await store.ReadStateAsync(key))?.Version);
    }

    /// <summary>DeleteState of a key with no state is rejected with actual version 0.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task DeleteState_of_a_missing_key_is_rejected()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.missing");
        var before = await FingerprintAsync(store, stateKeys: [key]);

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().DeleteState(key, 1)).AsTask());

        Assert.Equal(key, error.Key);
        Assert.Equal(1, error.Expected);
        Assert.Equal(0, error.Actual);
        Assert.Equal(before, await FingerprintAsync(store, stateKeys: [key]));
    }

    /// <summary>After a delete the key starts again at version 1; the old version's successor is rejected.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Save_after_delete_starts_again_at_version_1()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "Cart", Text("v1")));
        await store.CommitAsync(new CommitBatch().SaveState(key, 2, "Cart", Text("v2")));
        await store.CommitAsync(new CommitBatch().DeleteState(key, 2));

        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().SaveState(key, 3, "Cart", Text("v3"))).AsTask());
        Assert.Equal((2L, 0L), (error.Expected, error.Actual));
        Assert.Null(await store.ReadStateAsync(key));

        await store.CommitAsync(new CommitBatch().SaveState(key, 1, "CartAgain", Text("again")));

        var state = await store.ReadStateAsync(key);
        Assert.NotNull(state);
        Assert.Equal((1L, "CartAgain", "again"), (state.Version, state.Type, Encoding.UTF8.GetString(state.Data.Span)));
        await store.CommitAsync(new CommitBatch().SaveState(key, 2, "CartAgain", Text("again 2")));
        Assert.Equal(2, (await store.ReadStateAsync(key))?.Version);
    }

    /// <summary>Reading the state of a key that has none returns null.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Reading_a_missing_key_returns_null()
    {
        await using var store = await NewStoreAsync();
        await store.CommitAsync(new CommitBatch().SaveState(S("cart.1"), 1, "Cart", Text("v1")));

        Assert.Null(await store.ReadStateAsync(S("cart.2")));
        Assert.Null(await store.ReadStateAsync(S("carts.1")));
    }

    /// <summary>
    /// Reading many keys at once returns exactly what reading each alone returns: the stored ones with every field,
    /// none for a missing, deleted or differently cased key, each key once however often it is asked for, and keys
    /// of any script, emoji and every JSON or SQL metacharacter read back as themselves.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task ReadStatesAsync_returns_what_ReadStateAsync_returns_for_each_key()
    {
        await using var store = await NewStoreAsync();
        string[] ids = ["1", "10", "a\"b", "x'y", "[\"z\"]", "p%q_r", "café", "日本", "🙂", "\\u0041", "{}", "null", .. Enumerable.Range(0, 600).Select(i => $"n{i}")];
        var stored = ids.Select((id, i) => (Key: StreamName.For("cart", id), Version: i % 3 + 1L)).ToList();
        foreach (var chunk in stored.Chunk(100))
        {
            var batch = new CommitBatch();
            foreach (var (key, version) in chunk)
            {
                batch.SaveState(key, 1, "Cart", Text(key.Value));
            }

            await store.CommitWholeOrInPartsAsync(batch);
        }

        foreach (var (key, version) in stored.Where(s => s.Version > 1))
        {
            for (var v = 2; v <= version; v++)
            {
                await store.CommitAsync(new CommitBatch().SaveState(key, v, "Cart", Text(key.Value + v)));
            }
        }

        await store.CommitAsync(new CommitBatch().DeleteState(S("cart.10"), stored.Single(s => s.Key == S("cart.10")).Version));
        StreamName[] asked = [.. stored.Select(s => s.Key), S("cart.1"), S("Cart.1"), S("cart.missing"), S("carts.1"), S("cart.10")];

        var states = await store.ReadStatesAsync(asked);

        foreach (var key in asked.Distinct())
        {
            var one = await store.ReadStateAsync(key);
            if (one is null)
            {
                Assert.False(states.ContainsKey(key), key.Value);
                continue;
            }

            var many = Assert.Contains(key, states);
            Assert.Equal((one.Key, one.Version, one.Type, one.Timestamp), (many.Key, many.Version, many.Type, many.Timestamp));
            Assert.Equal(one.Data.ToArray(), many.Data.ToArray());
        }

        Assert.Equal(stored.Count - 1, states.Count);
        Assert.Empty(await store.ReadStatesAsync([]));
        Assert.Throws<ArgumentException>(() => { _ = store.ReadStatesAsync([S("cart.1"), default]); });
    }

    /// <summary>
    /// Saving a stored key at version 1 fails on that key, also when a later operation of the batch fails too, and when
    /// the batch also creates other keys: the error names the stored key and its version, and nothing is stored.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Saving_a_stored_key_at_version_1_fails_on_that_key_before_any_later_operation()
    {
        await using var store = await NewStoreAsync();
        var stored = S("cart.stored");
        await store.CommitAsync(new CommitBatch().SaveState(stored, 1, "Cart", Text("v1")));
        await store.CommitAsync(new CommitBatch().SaveState(stored, 2, "Cart", Text("v2")));

        var alone = await store.CommitFailsAsync<WrongExpectedVersionException>(new CommitBatch()
            .SaveState(S("cart.new-1"), 1, "Cart", Text("n"))
            .SaveState(stored, 1, "Cart", Text("again")));
        var beforeACheckpointConflict = await store.CommitFailsAsync<WrongExpectedVersionException>(new CommitBatch()
            .SaveState(stored, 1, "Cart", Text("again"))
            .SaveCheckpoint("c", 5, 4)
            .SaveState(S("cart.new-2"), 1, "Cart", Text("n")));

        foreach (var error in new[] { alone, beforeACheckpointConflict }.OfType<WrongExpectedVersionException>())
        {
            Assert.Equal((stored, 0L, 2L), (error.Key, error.Expected, error.Actual));
        }

        Assert.Equal((2L, "v2"), Describe(await store.ReadStateAsync(stored)));
        Assert.Empty(await store.ReadStatesAsync([S("cart.new-1"), S("cart.new-2")]));
        Assert.Null(await store.ReadCheckpointAsync("c"));
    }

    /// <summary>States of different keys, and a stream of the same name, do not affect each other.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task States_of_different_keys_are_independent()
    {
        await using var store = await NewStoreAsync();
        var a = S("cart.1");
        var b = S("cart.10");
        var c = S("Cart.1");
        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveState(a, 1, "Cart", Text("a1")).SaveState(b, 1, "Cart", Text("b1")));
        await store.CommitAsync(new CommitBatch().SaveState(a, 2, "Cart", Text("a2")));

        // Version 1 is still the right first version for c, and for b the next one is 2 whatever a is at.
        await store.CommitAsync(new CommitBatch().SaveState(c, 1, "Cart", Text("c1")));
        var error = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            () => store.CommitAsync(new CommitBatch().SaveState(b, 3, "Cart", Text("b3"))).AsTask());
        Assert.Equal((b, 2L, 1L), (error.Key, error.Expected, error.Actual));
        await store.CommitAsync(new CommitBatch().DeleteState(b, 1));

        Assert.Equal((2L, "a2"), Describe(await store.ReadStateAsync(a)));
        Assert.Null(await store.ReadStateAsync(b));
        Assert.Equal((1L, "c1"), Describe(await store.ReadStateAsync(c)));

        // A state key and a stream of the same name are different things.
        Assert.Null(await store.GetStreamInfoAsync(a));
        await store.AppendAsync(a, ExpectedRevision.NoStream, NewEvents(2));
        await store.DeleteStreamAsync(a);
        Assert.Equal((2L, "a2"), Describe(await store.ReadStateAsync(a)));
    }

    /// <summary>A wrong state version rejects the whole batch, and a failed append rejects the batch's state save.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task State_save_commits_atomically_with_appends()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.1");
        var stream = S("cart.1");
        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(stream, ExpectedRevision.NoStream, NewEvent())
            .SaveState(key, 1, "Cart", Text("v1")));
        var before = await FingerprintAsync(store, [stream], [key]);

        await store.CommitFailsAsync<WrongExpectedVersionException>(new CommitBatch()
            .Append(stream, ExpectedRevision.Exact(0), NewEvent())
            .SaveState(key, 3, "Cart", Text("v3")));
        Assert.Equal(before, await FingerprintAsync(store, [stream], [key]));

        await store.CommitFailsAsync<WrongExpectedRevisionException>(new CommitBatch()
            .SaveState(key, 2, "Cart", Text("v2"))
            .Append(stream, ExpectedRevision.NoStream, NewEvent()));
        Assert.Equal(before, await FingerprintAsync(store, [stream], [key]));

        await store.CommitFailsAsync<WrongExpectedVersionException>(new CommitBatch()
            .SaveState(key, 2, "Cart", Text("v2"))
            .DeleteState(S("cart.2"), 1));
        Assert.Equal(before, await FingerprintAsync(store, [stream], [key]));

        await store.CommitWholeOrInPartsAsync(new CommitBatch()
            .Append(stream, ExpectedRevision.Exact(0), NewEvent())
            .SaveState(key, 2, "Cart", Text("v2")));
        Assert.Equal((2L, "v2"), Describe(await store.ReadStateAsync(key)));
        Assert.Equal(2, (await ReadStreamAsync(store, stream)).Count);
    }

    /// <summary>Of writers racing to save the same version, exactly one wins and the stored state is the winner's.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Concurrent_saves_of_the_same_version_have_exactly_one_winner()
    {
        await using var store = await NewStoreAsync();
        var key = S("cart.contended");
        using var timeout = new CancellationTokenSource(Patience);

        for (var round = 1L; round <= ConcurrencyRounds; round++)
        {
            var version = round;
            var outcomes = await RaceAsync<WrongExpectedVersionException>(
                ConcurrentWriters,
                (writer, ct) => store.CommitAsync(new CommitBatch().SaveState(key, version, "Cart", Text($"round {version} writer {writer}")), ct).AsTask(),
                timeout.Token);

            var winner = SingleWinner(outcomes, $"version {version}");
            foreach (var loser in outcomes.Where(o => !o.Won))
            {
                Assert.Equal(key, loser.Error!.Key);
                Assert.Equal(version - 1, loser.Error.Expected);
                Assert.Equal(version, loser.Error.Actual);
            }

            var state = await store.ReadStateAsync(key);
            Assert.Equal((version, $"round {version} writer {winner.Racer}"), Describe(state));
        }
    }

    private static (long Version, string Data)? Describe(DurableState? state) =>
        state is null ? null : (state.Version, Encoding.UTF8.GetString(state.Data.Span));
}
