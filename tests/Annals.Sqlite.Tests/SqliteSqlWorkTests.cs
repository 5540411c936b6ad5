using System.Text;
using Annals.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Annals.Sqlite.Tests;

/// <summary>What only the SQLite store's SQL work has: the writer's connection, with no transaction object, guarded against ending the transaction.</summary>
public sealed class SqliteSqlWorkOnlyTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static readonly StreamName Account = StreamName.Parse("account.1");
    private static readonly StreamName Other = StreamName.Parse("account.2");

    [Fact]
    public async Task Work_runs_in_the_open_transaction_without_a_transaction_object()
    {
        await using var store = await SqliteEventStore.OpenAsync(fixture.NewPath());
        SqlWorkContext? given = null;
        long? changes = null;

        await store.CommitAsync(new CommitBatch()
            .Append(Account, ExpectedRevision.NoStream, Event("Opened"))
            .ExecuteSql(async (context, ct) =>
            {
                given = context;
                await using var command = context.Connection.CreateCommand();

                // The batch's event is there for the work to see, uncommitted: it runs inside the transaction.
                command.CommandText = "SELECT count(*) FROM events";
                changes = (long?)await command.ExecuteScalarAsync(ct);
            }));

        Assert.NotNull(given);
        Assert.Equal(SqlWorkContext.SqliteDialect, given.Dialect);
        Assert.Null(given.Transaction);
        Assert.Null(given.Schema);
        Assert.IsType<SqliteConnection>(given.Connection);
        Assert.Equal(1, changes);
    }

    /// <summary>
    /// A work's statement that would end the group's transaction, or release or roll back to a savepoint the work did
    /// not open, is refused: the work's batch fails alone and the neighbours commit.
    /// </summary>
    [Theory]
    [InlineData("COMMIT")]
    [InlineData("ROLLBACK")]
    [InlineData("BEGIN")]
    [InlineData("RELEASE batch")]
    [InlineData("ROLLBACK TO Batch")]
    public async Task A_work_cannot_end_the_writer_transaction_or_savepoint(string sql)
    {
        await using var store = await SqliteEventStore.OpenAsync(fixture.NewPath());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = store.CommitAsync(new CommitBatch().ExecuteSql(async (_, _) =>
        {
            holding.TrySetResult();
            await release.Task.WaitAsync(timeout.Token);
        })).AsTask();
        await holding.Task.WaitAsync(timeout.Token);

        // Queued behind the holder, the three form one group; the first fails, so the group runs again with a savepoint per batch.
        var conflicting = store.CommitAsync(new CommitBatch().Append(Account, ExpectedRevision.Exact(3), Event("Opened"))).AsTask();
        var ending = store.CommitAsync(new CommitBatch()
            .Append(Account, ExpectedRevision.NoStream, Event("Opened"))
            .ExecuteSql(async (context, ct) =>
            {
                await using var command = context.Connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(ct);
            })).AsTask();
        var neighbour = store.CommitAsync(new CommitBatch().Append(Other, ExpectedRevision.NoStream, Event("Opened"))).AsTask();
        release.SetResult();
        await holder;

        await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => conflicting);
        var error = await Assert.ThrowsAsync<SqlWorkFailedException>(() => ending);
        Assert.IsType<SqliteException>(error.InnerException);
        Assert.Equal(1, Assert.Single((await neighbour).Appends).LastPosition);
        Assert.Null(await store.GetStreamInfoAsync(Account));
        var appended = await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        Assert.Equal(2, appended.LastPosition);
    }

    [Fact]
    public async Task A_work_may_use_savepoints_of_its_own()
    {
        await using var store = await SqliteEventStore.OpenAsync(fixture.NewPath());

        await store.CommitAsync(new CommitBatch().ExecuteSql(async (context, ct) =>
        {
            foreach (var sql in new[] { "CREATE TABLE t (n INTEGER)", "SAVEPOINT mine", "INSERT INTO t VALUES (1)", "ROLLBACK TO mine", "INSERT INTO t VALUES (2)", "RELEASE mine" })
            {
                await using var command = context.Connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(ct);
            }
        }));

        long? total = null;
        await store.CommitAsync(new CommitBatch().ExecuteSql(async (context, ct) =>
        {
            await using var command = context.Connection.CreateCommand();
            command.CommandText = "SELECT sum(n) FROM t";
            total = (long?)await command.ExecuteScalarAsync(ct);
        }));
        Assert.Equal(2, total);
    }

    private static EventData Event(string type) => new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes($$"""{"type":"{{type}}"}"""));
}
