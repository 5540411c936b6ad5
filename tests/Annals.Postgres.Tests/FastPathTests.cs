using Annals.Storage;
using Xunit;

namespace Annals.Postgres.Tests;

/// <summary>
/// The writer commits an append-only group in one round trip, decided from what its own last
/// commit left. Whenever that knowledge is stale (another store committed, an id is reused, a
/// commit is replayed), the group must be redone the general way with exactly the general way's
/// results. Two stores on one schema stand for two processes: each has its own writer and pool.
/// </summary>
public sealed class FastPathTests
{
    private static readonly StreamName Account = StreamName.Parse("account.1");
    private static readonly StreamName Other = StreamName.Parse("account.2");

    [Fact]
    public async Task Appends_after_the_first_take_the_fast_path()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());

        var first = await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        var second = await store.AppendAsync(Account, first.NextExpected, Event("Deposited"));
        var third = await store.AppendAsync(Other, ExpectedRevision.NoStream, Event("Opened"));

        Assert.Equal((1L, 2L), (second.FirstRevision, second.FirstPosition));
        Assert.Equal(3, third.LastPosition);
        Assert.Equal(2, store.Writer.FastPathGroups);
        Assert.Equal(0, store.Writer.FastPathFallbacks);
        await AssertLogAsync(store, (Account, 0, 1), (Account, 1, 2), (Other, 0, 3));
    }

    [Fact]
    public async Task A_commit_of_another_store_between_groups_is_seen_by_the_next_group()
    {
        var schema = PostgresFixture.NewSchema();
        await using var mine = await PostgresFixture.OpenAsync(schema);
        await using var theirs = await PostgresFixture.OpenAsync(schema);
        await mine.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await mine.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));

        await theirs.AppendAsync(Account, ExpectedRevision.Exact(1), Event("Withdrawn"));

        // This writer last left the stream at revision 1: only the database knows it is at 2 now.
        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await mine.AppendAsync(Account, ExpectedRevision.Exact(1), Event("Deposited")));
        Assert.Equal(2, error.Actual);
        Assert.Equal(1, mine.Writer.FastPathFallbacks);

        var appended = await mine.AppendAsync(Account, ExpectedRevision.Exact(2), Event("Deposited"));
        Assert.Equal((3L, 4L), (appended.FirstRevision, appended.FirstPosition));
        await AssertLogAsync(mine, (Account, 0, 1), (Account, 1, 2), (Account, 2, 3), (Account, 3, 4));
    }

    [Fact]
    public async Task A_stream_another_store_truncated_or_deleted_is_not_restored_by_the_fast_path()
    {
        var schema = PostgresFixture.NewSchema();
        await using var mine = await PostgresFixture.OpenAsync(schema);
        await using var theirs = await PostgresFixture.OpenAsync(schema);
        await mine.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await mine.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));

        // Neither truncating nor deleting moves the head position.
        await theirs.TruncateStreamAsync(Account, 1);
        await mine.AppendAsync(Account, ExpectedRevision.Exact(1), Event("Deposited"));

        var info = await mine.GetStreamInfoAsync(Account);
        Assert.Equal((1L, 2L), (info!.FirstRevision, info.LastRevision));
        Assert.Equal(1, mine.Writer.FastPathFallbacks);

        await theirs.DeleteStreamAsync(Account);
        var error = await Assert.ThrowsAsync<WrongExpectedRevisionException>(async () => await mine.AppendAsync(Account, ExpectedRevision.Exact(2), Event("Deposited")));
        Assert.Null(error.Actual);
        Assert.Null(await mine.GetStreamInfoAsync(Account));
    }

    [Fact]
    public async Task A_stream_another_store_wrote_is_not_taken_for_new()
    {
        var schema = PostgresFixture.NewSchema();
        await using var mine = await PostgresFixture.OpenAsync(schema);
        await using var theirs = await PostgresFixture.OpenAsync(schema);
        await theirs.AppendAsync(Other, ExpectedRevision.NoStream, [Event("Opened"), Event("Closed")]);
        await theirs.DeleteStreamAsync(Other);
        await mine.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));

        // Unknown to this writer, so taken for new by the decision; a deleted stream goes on from
        // its last revision, and no stored event would collide with a revision 0.
        var appended = await mine.AppendAsync(Other, ExpectedRevision.Any, Event("Reopened"));

        Assert.Equal((2L, 4L), (appended.FirstRevision, appended.FirstPosition));
        Assert.Equal(1, mine.Writer.FastPathFallbacks);
        await AssertLogAsync(mine, (Account, 0, 3), (Other, 2, 4));
    }

    [Fact]
    public async Task A_replayed_commit_returns_the_original_result_and_stores_nothing()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        EventData[] events = [Event("Opened"), Event("Deposited")];
        var original = await store.AppendAsync(Account, ExpectedRevision.NoStream, events);
        await store.AppendAsync(Account, ExpectedRevision.Exact(1), Event("Withdrawn"));

        // The decision from memory accepts it (any revision); the unique index on event_id refuses it.
        var replayed = await store.AppendAsync(Account, ExpectedRevision.Any, events);

        // The decision from memory refuses it (the stream exists): a load must tell a replay from a conflict.
        var replayedAgain = await store.AppendAsync(Account, ExpectedRevision.NoStream, events);

        Assert.Equal(original, replayed);
        Assert.Equal(original, replayedAgain);
        Assert.Equal(1, store.Writer.FastPathFallbacks);
        await AssertLogAsync(store, (Account, 0, 1), (Account, 1, 2), (Account, 2, 3));
        var next = await store.AppendAsync(Account, ExpectedRevision.Exact(2), Event("Closed"));
        Assert.Equal(4, next.FirstPosition);
    }

    [Fact]
    public async Task A_reused_event_id_is_refused_and_the_writer_goes_on()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        var reused = Event("Opened");
        await store.AppendAsync(Account, ExpectedRevision.NoStream, reused);
        await store.AppendAsync(Other, ExpectedRevision.NoStream, Event("Opened"));

        var error = await Assert.ThrowsAsync<DuplicateEventIdException>(async () => await store.AppendAsync(Other, ExpectedRevision.Exact(0), reused));

        Assert.Equal((reused.EventId, Account, 0L), (error.EventId, error.ExistingStream, error.ExistingRevision));
        Assert.Equal(1, store.Writer.FastPathFallbacks);
        var groups = store.Writer.FastPathGroups;
        var next = await store.AppendAsync(Other, ExpectedRevision.Exact(0), Event("Deposited"));
        Assert.Equal((1L, 3L), (next.FirstRevision, next.FirstPosition));
        Assert.Equal(groups + 1, store.Writer.FastPathGroups);
        await AssertLogAsync(store, (Account, 0, 1), (Other, 0, 2), (Other, 1, 3));
    }

    [Fact]
    public async Task Concurrent_commits_that_share_a_group_keep_their_own_outcomes()
    {
        await using var store = await PostgresFixture.OpenAsync(PostgresFixture.NewSchema());
        await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        var shared = Event("Deposited");

        var appends = Enumerable.Range(0, 20)
            .Select(i => (Stream: StreamName.For("account", $"c{i % 5}"), Expected: ExpectedRevision.Any, Event: Event("Deposited")))
            .Append((Stream: StreamName.For("account", "c0"), Expected: ExpectedRevision.Any, Event: shared))
            .Append((Stream: Account, Expected: ExpectedRevision.Exact(0), Event: shared))
            .Append((Stream: Account, Expected: ExpectedRevision.Exact(5), Event: Event("Withdrawn")));
        var outcomes = await Task.WhenAll(appends.Select(a => Task.Run(async () =>
        {
            try
            {
                return (object)await store.AppendAsync(a.Stream, a.Expected, a.Event);
            }
            catch (AnnalsException e)
            {
                return e;
            }
        })));

        Assert.Equal(21, outcomes.Count(o => o is AppendResult));
        Assert.Single(outcomes, o => o is DuplicateEventIdException);
        Assert.Single(outcomes, o => o is WrongExpectedRevisionException);
        var log = await store.ReadAllAsync().ToListAsync();
        Assert.Equal(Enumerable.Range(1, 22).Select(p => (long)p), log.Select(e => e.Position));
        Assert.Single(log, e => e.EventId == shared.EventId);
        foreach (var result in outcomes.OfType<AppendResult>())
        {
            Assert.Equal(result.Stream, log[(int)result.FirstPosition - 1].Stream);
            Assert.Equal(result.FirstRevision, log[(int)result.FirstPosition - 1].Revision);
        }
    }

    private static EventData Event(string type) => PostgresFixture.Event(type);

    private static async Task AssertLogAsync(IEventStore store, params (StreamName Stream, long Revision, long Position)[] expected)
    {
        var log = await store.ReadAllAsync().ToListAsync();
        Assert.Equal(expected, log.Select(e => (e.Stream, e.Revision, e.Position)));
    }
}
