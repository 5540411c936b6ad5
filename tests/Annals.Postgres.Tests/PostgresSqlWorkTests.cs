using Annals.Storage;
using Npgsql;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>What only the PostgreSQL store's SQL work has: its transaction object and schema, and the general way.</summary>
public sealed class PostgresSqlWorkOnlyTests
{
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public async Task Work_is_given_the_group_transaction_and_the_store_schema()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        SqlWorkContext? given = null;
        string? current = null;
        var sameConnection = false;

        await store.CommitAsync(new CommitBatch().ExecuteSql(async (context, ct) =>
        {
            given = context;
            sameConnection = ReferenceEquals(context.Transaction?.Connection, context.Connection);
            await using var command = context.Connection.CreateCommand();
            command.Transaction = context.Transaction;
            command.CommandText = "SELECT current_setting('plan_cache_mode')";
            current = (string?)await command.ExecuteScalarAsync(ct);
        }));

        Assert.NotNull(given);
        Assert.Equal(SqlWorkContext.PostgresDialect, given.Dialect);
        Assert.Equal(store.Schema, given.Schema);
        Assert.IsType<NpgsqlConnection>(given.Connection);
        Assert.IsType<NpgsqlTransaction>(given.Transaction);
        Assert.True(sameConnection);

        // Set for the group's transaction only: the work ran inside it.
        Assert.Equal("force_custom_plan", current);
    }

    [Fact]
    public async Task A_batch_with_SQL_work_never_takes_the_fast_path()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        var first = await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await store.AppendAsync(Account, first.NextExpected, Event("Deposited"));
        var groups = store.Writer.FastPathGroups;
        var ran = 0;

        var result = await store.CommitAsync(new CommitBatch()
            .Append(Account, ExpectedRevision.Exact(1), Event("Withdrawn"))
            .ExecuteSql((_, _) =>
            {
                ran++;
                return ValueTask.CompletedTask;
            }));

        Assert.Equal(1, ran);
        Assert.Equal(3, Assert.Single(result.Appends).LastPosition);
        Assert.Equal(groups, store.Writer.FastPathGroups);
        Assert.Equal(0, store.Writer.FastPathFallbacks);

        // What the general way left is what the fast path goes on from.
        await store.AppendAsync(Account, ExpectedRevision.Exact(2), Event("Closed"));
        Assert.Equal(groups + 1, store.Writer.FastPathGroups);
    }

    [Fact]
    public async Task A_work_that_swallows_its_SQL_error_still_fails_its_batch()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());

        var error = await Assert.ThrowsAsync<SqlWorkFailedException>(async () => await store.CommitAsync(new CommitBatch()
            .Append(Account, ExpectedRevision.NoStream, Event("Opened"))
            .ExecuteSql(async (context, ct) =>
            {
                await using var command = context.Connection.CreateCommand();
                command.CommandText = "SELECT 1 / 0";
                try
                {
                    await command.ExecuteScalarAsync(ct);
                }
                catch (PostgresException)
                {
                    // The transaction is aborted all the same.
                }
            })));

        Assert.Equal("25P02", Assert.IsType<PostgresException>(error.InnerException).SqlState);
        Assert.Null(await store.GetStreamInfoAsync(Account));
        var appended = await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        Assert.Equal(1, appended.LastPosition);
    }

    [Fact]
    public async Task A_work_alone_in_its_group_that_commits_the_transaction_fails_its_batch_and_the_batch_writes_nothing()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());

        var error = await Assert.ThrowsAsync<SqlWorkFailedException>(async () => await store.CommitAsync(new CommitBatch()
            .Append(Account, ExpectedRevision.NoStream, Event("Opened"))
            .ExecuteSql(async (context, ct) =>
            {
                await using var command = context.Connection.CreateCommand();
                command.CommandText = "COMMIT";
                await command.ExecuteNonQueryAsync(ct);
            })));

        Assert.Contains("a SQL work ended the transaction of its commit", error.InnerException!.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetStreamInfoAsync(Account));
        Assert.Equal(0, await store.GetHeadPositionAsync());
        var appended = await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        Assert.Equal(1, appended.LastPosition);
    }

    private static EventData Event(string type) => PostgresFixture.Event(type);
}
