using Annals.Storage;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// A plain append leaves its stream's row alone: the row's revision is a floor and the stream's newest event
/// gives the rest, to every reader and to writers that never saw the appends.
/// </summary>
public sealed class StreamRowTests
{
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public async Task Appends_leave_the_row_at_its_creation_and_every_reader_sees_the_newest_event()
    {
        var schema = PostgresFixture.NewSchema();
        await using var first = await PostgresFixture.OpenAsync(schema);
        await first.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await first.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));
        await first.AppendAsync(Account, ExpectedRevision.Exact(1), [Event("Deposited"), Event("Deposited")]);

        Assert.Equal((0L, 1L), await RowAsync(schema));
        var info = await first.GetStreamInfoAsync(Account);
        Assert.Equal((0L, 3L, 4L), (info!.FirstRevision, info.LastRevision, info.LastPosition));
        var listed = Assert.Single(await first.ListStreamsAsync().ToListAsync());
        Assert.Equal((3L, 4L), (listed.LastRevision, listed.LastPosition));

        // A second store has no cache of the stream: it decides from what the database holds.
        await using var second = await PostgresFixture.OpenAsync(schema);
        var stale = await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await second.AppendAsync(Account, ExpectedRevision.Exact(2), Event("Withdrawn")));
        Assert.Equal(3, stale.Actual);
        var appended = await second.AppendAsync(Account, ExpectedRevision.Exact(3), Event("Withdrawn"));
        Assert.Equal((4L, 5L), (appended.FirstRevision, appended.LastPosition));
    }

    [Fact]
    public async Task A_deleted_stream_keeps_its_last_revision_in_the_row_and_a_revived_one_goes_on_after_it()
    {
        var schema = PostgresFixture.NewSchema();
        await using var store = await PostgresFixture.OpenAsync(schema);
        await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await store.AppendAsync(Account, ExpectedRevision.Exact(0), [Event("Deposited"), Event("Deposited")]);

        await store.DeleteStreamAsync(Account, ExpectedRevision.Exact(2));

        // Its events are gone, so only the row remembers where the stream ended.
        Assert.Equal((2L, 3L), await RowAsync(schema));
        Assert.Null(await store.GetStreamInfoAsync(Account));
        await using var other = await PostgresFixture.OpenAsync(schema);
        var revived = await other.AppendAsync(Account, ExpectedRevision.NoStream, Event("Reopened"));
        Assert.Equal(3, revived.FirstRevision);
        var info = await other.GetStreamInfoAsync(Account);
        Assert.Equal((3L, 3L, 4L), (info!.FirstRevision, info.LastRevision, info.LastPosition));
    }

    private static EventData Event(string type) => PostgresFixture.Event(type);

    private static async Task<(long LastRevision, long LastPosition)> RowAsync(string schema)
    {
        await using var command = PostgresFixture.DataSource.CreateCommand($"SELECT last_revision, last_position FROM {schema}.streams WHERE stream = 'account.1'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
