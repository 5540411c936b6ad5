using System.Data.Common;
using Annals.Storage;
using Annals.Storage.Providers;
using Xunit;

namespace Annals.Testing.Conformance;

/// <summary>
/// Proves a SQL store runs a batch's SQL work (<see cref="CommitBatch.ExecuteSql"/>) inside the commit's
/// transaction: the work's rows are stored exactly when the batch is, a failing work fails its batch alone,
/// and any other failed expectation of the batch rolls the work back. Exactly-once projections with a
/// read model in the store's own database rely on it.
/// </summary>
/// <typeparam name="TFixture">The backend's fixture.</typeparam>
public abstract class SqlWorkConformance<TFixture> : StoreConformance<TFixture>
    where TFixture : class, IEventStoreFixture
{
    /// <summary>The read model's table, in each test's new store.</summary>
    protected const string ReadModel = "sql_work_rows";

    private static readonly StreamName Orders = S("order.1");

    /// <summary>Makes the suite.</summary>
    /// <param name="fixture">The backend's fixture.</param>
    protected SqlWorkConformance(TFixture fixture)
        : base(fixture)
    {
    }

    /// <summary>How many batches, each with SQL work and a checkpoint, commit at once in the concurrency test.</summary>
    protected virtual int ConcurrentBatches => 64;

    /// <summary>The first work of a batch is stored with the batch's append and checkpoint.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Work_commits_its_rows_with_the_batch_append_and_checkpoint()
    {
        await using var store = await NewReadModelStoreAsync();

        var result = await store.CommitAsync(new CommitBatch()
            .Append(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))
            .ExecuteSql(Insert("order-1", 1))
            .SaveCheckpoint("order-totals", 1, null));

        Assert.Equal(1, Assert.Single(result.Appends).LastPosition);
        Assert.Equal([("order-1", 1L)], await ReadRowsAsync(store));
        Assert.Equal(1L, await store.ReadCheckpointAsync("order-totals"));
        Assert.Single(await ReadStreamAsync(store, Orders));
    }

    /// <summary>A work is given an open connection and the dialect of the store.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Work_is_given_an_open_connection_and_the_dialect()
    {
        await using var store = await NewStoreAsync();
        SqlWorkContext? given = null;
        System.Data.ConnectionState state = default;

        await store.CommitAsync(new CommitBatch().ExecuteSql((context, _) =>
        {
            given = context;
            state = context.Connection.State;
            return ValueTask.CompletedTask;
        }));

        Assert.NotNull(given);
        Assert.Equal(System.Data.ConnectionState.Open, state);
        Assert.Contains(given.Dialect, new[] { SqlWorkContext.SqliteDialect, SqlWorkContext.PostgresDialect });
        Assert.Equal(given.Dialect == SqlWorkContext.PostgresDialect, given.Schema is not null);
    }

    /// <summary>A work that throws fails its batch with <see cref="SqlWorkFailedException"/> wrapping the error, and nothing of the batch is stored.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Throwing_work_fails_the_batch_and_stores_nothing_of_it()
    {
        await using var store = await NewReadModelStoreAsync();
        var before = await FingerprintAsync(store, [Orders], consumers: ["order-totals"]);
        var thrown = new InvalidOperationException("The read model rejects order-1.");

        var error = await Assert.ThrowsAsync<SqlWorkFailedException>(
            () => store.CommitAsync(new CommitBatch()
                .Append(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))
                .ExecuteSql(Insert("order-1", 1))
                .ExecuteSql((_, _) => throw thrown)
                .SaveCheckpoint("order-totals", 1, null)).AsTask());

        Assert.Same(thrown, error.InnerException);
        Assert.Equal("The batch's SQL work failed, so nothing of the batch was stored: The read model rejects order-1.", error.Message);
        Assert.Equal(before, await FingerprintAsync(store, [Orders], consumers: ["order-totals"]));
        Assert.Null(await store.ReadCheckpointAsync("order-totals"));
        Assert.Empty(await ReadRowsAsync(store));
    }

    /// <summary>
    /// A throwing work fails its batch alone: the batches committed in the same transaction, before and after it,
    /// commit with their own works' rows, each row once.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Throwing_work_fails_only_its_batch_of_a_group()
    {
        await using var store = await NewReadModelStoreAsync();

        var (before, failing, after) = await CommitGroupOfThreeAsync(store, (_, _) => throw new InvalidOperationException("Rejected."));

        Assert.Equal("Rejected.", (await Assert.ThrowsAsync<SqlWorkFailedException>(() => failing)).InnerException!.Message);
        await AssertNeighboursCommittedAsync(store, before, after);
    }

    /// <summary>
    /// A work whose SQL fails (here, a duplicate key) fails its batch alone, with the provider's error inside,
    /// even where the error aborts the whole transaction: its neighbours in the group commit.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Work_whose_SQL_fails_fails_only_its_batch_of_a_group()
    {
        await using var store = await NewReadModelStoreAsync();
        await store.CommitAsync(new CommitBatch().ExecuteSql(Insert("taken", 0)));

        var (before, failing, after) = await CommitGroupOfThreeAsync(store, Insert("taken", 1));

        Assert.IsAssignableFrom<DbException>((await Assert.ThrowsAsync<SqlWorkFailedException>(() => failing)).InnerException);
        await AssertNeighboursCommittedAsync(store, before, after, ("taken", 0));
        await store.CommitAsync(new CommitBatch().ExecuteSql(Insert("later", 4)).Append(S("order.later"), ExpectedRevision.NoStream, NewEvent()));
        Assert.Contains(("later", 4L), await ReadRowsAsync(store));
    }

    /// <summary>A batch whose checkpoint expectation fails stores none of its work's rows, though the work comes first in the batch.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Checkpoint_conflict_rolls_the_work_back()
    {
        await using var store = await NewReadModelStoreAsync();
        await store.CommitAsync(new CommitBatch().ExecuteSql(Insert("order-1", 1)).SaveCheckpoint("order-totals", 10, null));

        var error = await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch()
                .ExecuteSql(Insert("order-2", 2))
                .SaveCheckpoint("order-totals", 20, 9)).AsTask());

        Assert.Equal(("order-totals", 9L, 10L), (error.Consumer, error.Expected, error.Actual));
        Assert.Equal([("order-1", 1L)], await ReadRowsAsync(store));
        Assert.Equal(10L, await store.ReadCheckpointAsync("order-totals"));
    }

    /// <summary>A batch whose append expectation fails rolls its work's rows back.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Wrong_expected_revision_rolls_the_work_back()
    {
        await using var store = await NewReadModelStoreAsync();
        await store.AppendAsync(Orders, ExpectedRevision.NoStream, NewEvent("Placed"));
        var before = await FingerprintAsync(store, [Orders], consumers: ["order-totals"]);

        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(
            () => store.CommitAsync(new CommitBatch()
                .ExecuteSql(Insert("order-1", 1))
                .Append(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))
                .SaveCheckpoint("order-totals", 1, null)).AsTask());

        Assert.Equal(0L, error.Actual);
        Assert.Empty(await ReadRowsAsync(store));
        Assert.Equal(before, await FingerprintAsync(store, [Orders], consumers: ["order-totals"]));
    }

    /// <summary>A work runs only once every expectation of its batch holds: a batch that fails a check never runs its SQL.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Work_does_not_run_when_a_check_of_its_batch_fails()
    {
        await using var store = await NewReadModelStoreAsync();
        await store.CommitAsync(new CommitBatch().SaveCheckpoint("order-totals", 10, null));
        var runs = 0;

        await Assert.ThrowsAsync<CheckpointConflictException>(
            () => store.CommitAsync(new CommitBatch()
                .ExecuteSql((_, _) =>
                {
                    runs++;
                    return ValueTask.CompletedTask;
                })
                .SaveCheckpoint("order-totals", 20, 9)).AsTask());

        Assert.Equal(0, runs);
    }

    /// <summary>
    /// A batch committed again (a retry after its outcome was lost) whose events are stored is a replay: it returns the
    /// first outcome and its works do not run again, so a read model is not updated twice.
    /// </summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Replayed_batch_does_not_run_its_work_again()
    {
        await using var store = await NewReadModelStoreAsync();
        var runs = 0;
        var batch = new CommitBatch()
            .Append(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))
            .ExecuteSql(Insert("order-1", 1))
            .ExecuteSql((_, _) =>
            {
                runs++;
                return ValueTask.CompletedTask;
            });

        var first = await store.CommitAsync(batch);
        var again = await store.CommitAsync(batch);

        Assert.Equal(first.Appends, again.Appends);
        Assert.Equal(1, runs);
        Assert.Equal([("order-1", 1L)], await ReadRowsAsync(store));
    }

    /// <summary>A commit its caller cancels while its work runs is cancelled, not failed, and stores nothing.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Cancelling_the_commit_while_its_work_runs_cancels_it_and_stores_nothing()
    {
        await using var store = await NewReadModelStoreAsync();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.CommitAsync(
                new CommitBatch()
                    .Append(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))
                    .ExecuteSql(Insert("order-1", 1))
                    .ExecuteSql((_, ct) =>
                    {
                        cancel.Cancel();
                        ct.ThrowIfCancellationRequested();
                        return ValueTask.CompletedTask;
                    }),
                cancel.Token).AsTask());

        Assert.Empty(await ReadRowsAsync(store));
        Assert.Null(await store.GetStreamInfoAsync(Orders));
        Assert.Equal(1, (await store.AppendAsync(Orders, ExpectedRevision.NoStream, NewEvent("Placed"))).LastPosition);
    }

    /// <summary>The works of one batch run in the order added: each sees what the one before wrote.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Works_of_a_batch_run_in_the_order_added()
    {
        await using var store = await NewReadModelStoreAsync();

        await store.CommitAsync(new CommitBatch()
            .ExecuteSql(Insert("a", 1))
            .ExecuteSql(Execute(c => $"INSERT INTO {Table(c)} (id, n) SELECT 'b', n + 1 FROM {Table(c)} WHERE id = 'a'"))
            .SaveCheckpoint("order-totals", 3, null)
            .ExecuteSql(Execute(c => $"UPDATE {Table(c)} SET n = (SELECT n FROM {Table(c)} WHERE id = 'b') * 10 WHERE id = 'a'")));

        Assert.Equal([("a", 20L), ("b", 2L)], await ReadRowsAsync(store));
        Assert.Equal(3L, await store.ReadCheckpointAsync("order-totals"));
    }

    /// <summary>Many batches committed at once, each with a work and a checkpoint of its own, all commit, each work's row once.</summary>
    /// <returns>The test.</returns>
    [Fact]
    public async Task Concurrent_batches_with_work_and_checkpoint_all_commit()
    {
        await using var store = await NewReadModelStoreAsync();
        using var timeout = new CancellationTokenSource(Patience);
        var count = ConcurrentBatches;

        var results = await RunTogetherAsync(
            count,
            (i, ct) => store.CommitAsync(
                new CommitBatch()
                    .Append(S($"order.{i}"), ExpectedRevision.NoStream, NewEvent("Placed"))
                    .ExecuteSql(Insert($"order-{i:D4}", i))
                    .SaveCheckpoint($"order-view-{i}", i + 1, null),
                ct).AsTask(),
            timeout.Token);

        Assert.Equal(count, results.Select(r => Assert.Single(r.Appends).LastPosition).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, count).Select(i => ($"order-{i:D4}", (long)i)), await ReadRowsAsync(store));
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i + 1L, await store.ReadCheckpointAsync($"order-view-{i}"));
        }

        Assert.Equal(count, (await ReadAllAsync(store)).Count);
    }

    /// <summary>The statement that creates the read model's table (<c>id</c> text key, <c>n</c> 64-bit integer) in the store's dialect.</summary>
    /// <param name="context">The work's context: its <see cref="SqlWorkContext.Dialect"/> picks the SQL.</param>
    /// <returns>The statement.</returns>
    /// <exception cref="NotSupportedException">The dialect is none this suite knows; a backend of another dialect overrides this.</exception>
    protected virtual string CreateReadModelSql(SqlWorkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Dialect switch
        {
            SqlWorkContext.SqliteDialect => $"CREATE TABLE {Table(context)} (id TEXT NOT NULL PRIMARY KEY, n INTEGER NOT NULL)",
            SqlWorkContext.PostgresDialect => $"CREATE TABLE {Table(context)} (id text NOT NULL PRIMARY KEY, n bigint NOT NULL)",
            _ => throw new NotSupportedException($"The SQL work suite does not know the dialect '{context.Dialect}'; override CreateReadModelSql."),
        };
    }

    /// <summary>The read model's table name as the work's SQL writes it: in the store's schema where it has one.</summary>
    /// <param name="context">The work's context.</param>
    /// <returns>The table's name.</returns>
    protected static string Table(SqlWorkContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Schema is { } schema ? $"{schema}.{ReadModel}" : ReadModel;
    }

    /// <summary>A work that runs one statement, made from the context, with no parameters.</summary>
    /// <param name="sql">Makes the statement.</param>
    /// <returns>The work.</returns>
    protected static Func<SqlWorkContext, CancellationToken, ValueTask> Execute(Func<SqlWorkContext, string> sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return async (context, cancellationToken) =>
        {
            await using var command = context.CreateCommand(sql(context));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        };
    }

    /// <summary>A work that inserts one row into the read model.</summary>
    /// <param name="id">The row's key.</param>
    /// <param name="n">The row's number.</param>
    /// <returns>The work.</returns>
    protected static Func<SqlWorkContext, CancellationToken, ValueTask> Insert(string id, long n) =>
        async (context, cancellationToken) =>
        {
            await using var command = context.CreateCommand($"INSERT INTO {Table(context)} (id, n) VALUES (@id, @n)", ("@id", id), ("@n", n));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        };

    /// <summary>Reads the read model's rows, ordered by key, in a commit of its own.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The rows.</returns>
    protected static async Task<List<(string Id, long N)>> ReadRowsAsync(IEventStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = new List<(string, long)>();
        await store.CommitAsync(new CommitBatch().ExecuteSql(async (context, cancellationToken) =>
        {
            // A re-run starts again from empty.
            rows.Clear();
            await using var command = context.CreateCommand($"SELECT id, n FROM {Table(context)} ORDER BY id");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        })).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Makes a fresh store holding an empty read model.</summary>
    /// <returns>The store.</returns>
    protected async Task<IEventStore> NewReadModelStoreAsync()
    {
        var store = await NewStoreAsync().ConfigureAwait(false);
        await store.CommitAsync(new CommitBatch().ExecuteSql(Execute(CreateReadModelSql))).ConfigureAwait(false);
        return store;
    }

    /// <summary>
    /// Commits three batches that the store takes as one group: a first commit's work holds the writer until
    /// the three are queued behind it. The middle batch runs <paramref name="failingWork"/>.
    /// </summary>
    private async Task<(Task<CommitResult> Before, Task<CommitResult> Failing, Task<CommitResult> After)> CommitGroupOfThreeAsync(
        IEventStore store,
        Func<SqlWorkContext, CancellationToken, ValueTask> failingWork)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = store.CommitAsync(new CommitBatch().ExecuteSql(async (_, _) =>
        {
            holding.TrySetResult();

            // Holds the writer only until the test has queued the group; a re-run passes straight through.
            await release.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        })).AsTask();
        await holding.Task.WaitAsync(timeout.Token).ConfigureAwait(false);

        var before = store.CommitAsync(new CommitBatch()
            .Append(S("order.before"), ExpectedRevision.NoStream, NewEvent("Placed"))
            .ExecuteSql(Insert("before", 1))
            .SaveCheckpoint("view-before", 1, null)).AsTask();
        var failing = store.CommitAsync(new CommitBatch()
            .Append(S("order.failing"), ExpectedRevision.NoStream, NewEvent("Placed"))
            .ExecuteSql(Insert("failing", 2))
            .ExecuteSql(failingWork)
            .SaveCheckpoint("view-failing", 2, null)).AsTask();
        var after = store.CommitAsync(new CommitBatch()
            .Append(S("order.after"), ExpectedRevision.NoStream, NewEvent("Placed"))
            .ExecuteSql(Insert("after", 3))
            .SaveCheckpoint("view-after", 3, null)).AsTask();
        release.SetResult();

        await holder.WaitAsync(timeout.Token).ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(before, failing, after)).WaitAsync(timeout.Token).ConfigureAwait(false);
        return (before, failing, after);
    }

    private static async Task AssertNeighboursCommittedAsync(IEventStore store, Task<CommitResult> before, Task<CommitResult> after, params (string, long)[] earlier)
    {
        await before.ConfigureAwait(false);
        await after.ConfigureAwait(false);
        var expected = earlier.Append(("after", 3L)).Append(("before", 1L)).OrderBy(r => r.Item1, StringComparer.Ordinal);
        Assert.Equal(expected, await ReadRowsAsync(store));
        Assert.Equal(1L, await store.ReadCheckpointAsync("view-before"));
        Assert.Equal(3L, await store.ReadCheckpointAsync("view-after"));
        Assert.Null(await store.ReadCheckpointAsync("view-failing"));
        Assert.Single(await ReadStreamAsync(store, S("order.before")));
        Assert.Single(await ReadStreamAsync(store, S("order.after")));
        Assert.Null(await store.GetStreamInfoAsync(S("order.failing")));
        Assert.Equal(2, (await ReadAllAsync(store)).Count);
    }
}
