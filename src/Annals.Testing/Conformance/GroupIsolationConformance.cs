using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Guarantee 6 under concurrency: a batch that fails for any reason (an expectation, an SQL work that throws, breaks
/// its SQL or its connection) fails alone with a typed error and stores nothing, while every other batch committed at
/// the same time, and so grouped with it into one transaction, commits.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class GroupIsolationConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected GroupIsolationConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many valid batches are committed beside the poisoned ones.</summary>
    protected virtual int ValidBatches => 50;

    /// <summary>
    /// SQL works that only this backend can be poisoned with (a work that ends its session, a parameter its driver
    /// cannot encode), each with the error its batch must fail with.
    /// </summary>
    protected virtual IEnumerable<(string Name, Func<SqlWorkContext, CancellationToken, ValueTask> Work, Type Error)> BackendPoisons => [];

    /// <summary>Fifty valid batches and every kind of poisoned one, committed at once: each poisoned batch fails alone with its typed error, every valid one commits.</summary>
    [Fact]
    public async Task One_failing_batch_never_fails_the_batches_committed_beside_it()
    {
        await using var store = await NewStoreAsync();
        await store.AppendAsync(S("iso.existing"), ExpectedRevision.NoStream, NewEvent());
        var storedMessage = Guid.NewGuid();
        await store.CommitWholeOrInPartsAsync(new CommitBatch().SaveState(S("iso.stored"), 1, "State", new byte[] { 7 }).Enqueue(Queue, storedMessage, "Message", new byte[] { 7 }, DateTimeOffset.UnixEpoch));
        // A store without SQL work refuses such batches, alone, with InvalidBatchException.
        var work = store.Capabilities.SqlWork ? typeof(SqlWorkFailedException) : typeof(InvalidBatchException);
        var poisons = new List<(string Name, Func<StreamName, CommitBatch> Make, Type Error)>
        {
            ("wrong revision", s => new CommitBatch().Append(s, ExpectedRevision.Exact(5), NewEvent()), typeof(WrongExpectedRevisionException)),
            ("stream exists", s => new CommitBatch().Append(S("iso.existing"), ExpectedRevision.NoStream, NewEvent()).Append(s, ExpectedRevision.NoStream, NewEvent()), typeof(WrongExpectedRevisionException)),
            ("checkpoint", s => Poisoned(s).SaveCheckpoint("iso/poison", 1, 99), typeof(CheckpointConflictException)),
            ("snapshot", s => Poisoned(s).SaveSnapshot(S("iso.missing"), 0, "Snap", new byte[] { 1 }), typeof(SnapshotConflictException)),
            ("state", s => Poisoned(s).SaveState(S("iso.state"), 3, "State", new byte[] { 1 }), typeof(WrongExpectedVersionException)),
            ("state created again", s => Poisoned(s).SaveState(S("iso.stored"), 1, "State", new byte[] { 1 }), typeof(WrongExpectedVersionException)),
            ("state created again, then a checkpoint conflict", s => Poisoned(s).SaveState(S("iso.stored"), 1, "State", new byte[] { 1 }).SaveCheckpoint("iso/poison", 1, 99), typeof(WrongExpectedVersionException)),
            ("message enqueued again, then a checkpoint conflict", s => Poisoned(s).Enqueue(Queue, storedMessage, "Message", new byte[] { 1 }, DateTimeOffset.UnixEpoch).SaveCheckpoint("iso/poison", 1, 99), typeof(QueueMessageConflictException)),
            ("message enqueued again", s => Poisoned(s).Enqueue(Queue, storedMessage, "Message", new byte[] { 1 }, DateTimeOffset.UnixEpoch), typeof(QueueMessageConflictException)),
            ("work throws", s => Poisoned(s).ExecuteSql((_, _) => throw new InvalidOperationException("poison")), work),
            ("work throws late", s => Poisoned(s).ExecuteSql(async (_, ct) => { await Task.Yield(); throw new FormatException("poison"); }), work),
            ("work's SQL fails", s => Poisoned(s).ExecuteSql(async (c, ct) => { await using var command = c.CreateCommand("SELECT * FROM iso_no_such_table"); await command.ExecuteNonQueryAsync(ct); }), work),
        };
        foreach (var (name, poison, error) in BackendPoisons)
        {
            poisons.Add((name, s => Poisoned(s).ExecuteSql(poison), error));
        }

        var valid = Enumerable.Range(0, ValidBatches).Select(i => S($"iso.v{i}")).ToList();
        var attempts = new List<(string Name, StreamName Stream, CommitBatch Batch, Type? Error)>();
        var validBatch = (StreamName s, int i) => new CommitBatch()
            .Append(s, ExpectedRevision.NoStream, NewEvent())
            .SaveCheckpoint($"iso/v{i}", 1, null)
            .SaveState(S($"iso.state-v{i}"), 1, "State", new byte[] { (byte)i })
            .Enqueue(Queue, Guid.NewGuid(), "Message", new byte[] { (byte)i }, DateTimeOffset.UnixEpoch);
        // A store that commits less than such a batch atomically refuses it whole, and that refusal must be as isolated.
        var refusesValid = !store.Capabilities.CanCommit(validBatch(valid[0], 0));
        Type? Expected(CommitBatch batch, Type? error) => store.Capabilities.CanCommit(batch) ? error : typeof(BatchNotAtomicException);
        attempts.AddRange(valid.Select((s, i) => validBatch(s, i)).Select((b, i) => ("valid", valid[i], b, Expected(b, null))));

        // Poisoned batches are spread among the valid ones, twice each, so they share groups with them.
        for (var round = 0; round < 2; round++)
        {
            for (var p = 0; p < poisons.Count; p++)
            {
                var stream = S($"iso.p{round}-{p}");
                var batch = poisons[p].Make(stream);
                attempts.Insert(Math.Min((p * 5) + round + 1, attempts.Count), (poisons[p].Name, stream, batch, Expected(batch, poisons[p].Error)));
            }
        }

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = attempts.Select(a => Task.Run(async () =>
        {
            await start.Task;
            await store.CommitAsync(a.Batch);
        })).ToList();
        start.SetResult();
        await Task.WhenAny(Task.WhenAll(outcomes), Task.Delay(Patience));

        for (var i = 0; i < attempts.Count; i++)
        {
            var (name, stream, _, error) = attempts[i];
            Assert.True(outcomes[i].IsCompleted, $"the '{name}' batch on {stream} did not finish");
            if (error is null)
            {
                Assert.True(outcomes[i].IsCompletedSuccessfully, $"the valid batch on {stream} failed: {outcomes[i].Exception?.InnerException}");
                Assert.Single(await ReadStreamAsync(store, stream));
            }
            else
            {
                var thrown = outcomes[i].Exception?.InnerException;
                Assert.True(thrown is not null && error.IsInstanceOfType(thrown), $"the '{name}' batch should fail with {error.Name}, not {thrown?.GetType().Name ?? "succeed"}: {thrown?.Message}");
                Assert.Null(await store.GetStreamInfoAsync(stream));
            }
        }

        for (var i = 0; i < (refusesValid ? 0 : valid.Count); i++)
        {
            Assert.Equal(1, await store.ReadCheckpointAsync($"iso/v{i}"));
            Assert.Equal([(byte)i], (await store.ReadStateAsync(S($"iso.state-v{i}")))!.Data.ToArray());
        }

        var stored = (await store.ReadStateAsync(S("iso.stored")))!;
        Assert.Equal(1L, stored.Version);
        Assert.Equal([7], stored.Data.ToArray());
        var messages = await store.ReadDueMessagesAsync(Queue, DateTimeOffset.MaxValue);
        Assert.Equal((refusesValid ? 0 : valid.Count) + 1, messages.Count);
        Assert.Equal([7], messages.Single(m => m.MessageId == storedMessage).Data.ToArray());

        Assert.Null(await store.ReadCheckpointAsync("iso/poison"));
        Assert.Null(await store.ReadStateAsync(S("iso.state")));
    }

    private const string Queue = "iso-queue";

    private static CommitBatch Poisoned(StreamName stream) => new CommitBatch().Append(stream, ExpectedRevision.NoStream, NewEvent());
}
