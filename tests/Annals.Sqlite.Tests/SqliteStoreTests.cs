using System.Text;
using Annals.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Annals.Sqlite.Tests;

/// <summary>What only the SQLite store has: the file, its owner lock, read-only opens, the schema version, damaged rows.</summary>
public sealed class SqliteStoreTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static readonly StreamName Account = StreamName.Parse("account.1");

    [Fact]
    public async Task Committed_events_survive_closing_and_reopening_the_file()
    {
        var path = fixture.NewPath();
        AppendResult appended;
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            appended = await store.AppendAsync(Account, ExpectedRevision.NoStream, [Event("Opened"), Event("Deposited")]);
            await store.CommitAsync(new CommitBatch().SaveCheckpoint("c", 2, null).SaveState(StreamName.Parse("cart.1"), 1, "Cart", "{}"u8.ToArray()));
        }

        await using var reopened = await SqliteEventStore.OpenAsync(path);
        var events = await reopened.ReadStreamAsync(Account).ToListAsync();
        Assert.Equal(["Opened", "Deposited"], events.Select(e => e.Type));
        Assert.Equal(appended.LastPosition, await reopened.GetHeadPositionAsync());
        Assert.Equal(2, await reopened.ReadCheckpointAsync("c"));
        Assert.Equal(1, (await reopened.ReadStateAsync(StreamName.Parse("cart.1")))!.Version);

        var next = await reopened.AppendAsync(Account, ExpectedRevision.Exact(1), Event("Withdrawn"));
        Assert.Equal(appended.LastPosition + 1, next.FirstPosition);
    }

    [Fact]
    public async Task A_second_writer_on_the_same_file_gets_StoreLockedException()
    {
        var path = fixture.NewPath();
        await using var owner = await SqliteEventStore.OpenAsync(path);

        var error = await Assert.ThrowsAsync<StoreLockedException>(async () => await SqliteEventStore.OpenAsync(path));

        Assert.Equal(path, error.Resource);
        Assert.Equal($"The store '{path}' is already open for writing by another process or store object; open it read-only to inspect it.", error.Message);
    }

    [Fact]
    public async Task The_lock_is_released_when_the_owner_is_disposed()
    {
        var path = fixture.NewPath();
        await (await SqliteEventStore.OpenAsync(path)).DisposeAsync();

        await using var next = await SqliteEventStore.OpenAsync(path);

        Assert.False(next.IsReadOnly);
    }

    [Fact]
    public async Task A_read_only_open_reads_a_file_another_store_owns_and_follows_it_by_polling()
    {
        var path = fixture.NewPath();
        await using var owner = await SqliteEventStore.OpenAsync(path);
        await owner.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
        await using var reader = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = path, ReadOnly = true, PollInterval = TimeSpan.FromMilliseconds(20) });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var subscription = reader.SubscribeAsync(cancellationToken: timeout.Token).GetAsyncEnumerator(timeout.Token);

        Assert.True(await subscription.MoveNextAsync());
        Assert.Equal("Opened", subscription.Current.Type);
        await owner.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));
        Assert.True(await subscription.MoveNextAsync());
        Assert.Equal("Deposited", subscription.Current.Type);
        Assert.True(reader.IsReadOnly);
        Assert.Equal(2, await reader.GetHeadPositionAsync());
    }

    [Fact]
    public async Task A_read_only_store_refuses_commits_with_StoreReadOnlyException()
    {
        var path = fixture.NewPath();
        await (await SqliteEventStore.OpenAsync(path)).DisposeAsync();
        await using var reader = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = path, ReadOnly = true });

        var error = await Assert.ThrowsAsync<StoreReadOnlyException>(async () => await reader.AppendAsync(Account, ExpectedRevision.Any, Event("Opened")));

        Assert.Equal($"The store '{path}' was opened read-only; open it for writing to commit.", error.Message);
    }

    [Fact]
    public async Task A_read_only_open_of_a_missing_file_gets_StoreNotFoundException_and_creates_nothing()
    {
        var path = fixture.NewPath();

        var error = await Assert.ThrowsAsync<StoreNotFoundException>(async () => await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = path, ReadOnly = true }));

        Assert.Equal($"No store at '{path}': the file does not exist.", error.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Opening_in_a_missing_folder_gets_StoreNotFoundException()
    {
        var path = Path.Combine(fixture.Folder, "missing", "store.db");

        var error = await Assert.ThrowsAsync<StoreNotFoundException>(async () => await SqliteEventStore.OpenAsync(path));

        Assert.Contains("the folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_from_a_newer_schema_is_refused_with_a_clear_error()
    {
        var path = fixture.NewPath();
        await (await SqliteEventStore.OpenAsync(path)).DisposeAsync();
        RawExecute(path, "PRAGMA user_version = 99;");

        var error = await Assert.ThrowsAsync<AnnalsException>(async () => await SqliteEventStore.OpenAsync(path));

        Assert.Equal($"The file '{path}' has schema version 99, newer than this release of Annals understands (3); upgrade Annals to open it.", error.Message);
    }

    [Fact]
    public async Task A_version_1_file_is_migrated_with_its_states_and_queued_messages_intact()
    {
        var path = fixture.NewPath();
        var version1 = Annals.Storage.Providers.SchemaScripts.Load(typeof(SqliteEventStore).Assembly).Single(s => s.Version == 1).Script;
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        RawExecute(path, version1 + $"""
            PRAGMA user_version = 1;
            INSERT INTO states (key, version, type, data, timestamp) VALUES ('cart.1', 3, 'Cart', X'7B7D', 0);
            INSERT INTO queue_messages (queue, message_id, type, data, metadata, due_at, failure_count, last_error, revision, enqueued_at, sequence)
                VALUES ('mail', X'{Convert.ToHexString(second.ToByteArray())}', 'Send', X'01', NULL, 10, 2, 'timed out', 3, 0, 2),
                       ('mail', X'{Convert.ToHexString(first.ToByteArray())}', 'Send', X'02', '{"{"}"k":"v"{"}"}', 10, 0, NULL, 1, 0, 1);
            UPDATE counters SET value = 2 WHERE name = 'queue_sequence';
            """);

        await using var store = await SqliteEventStore.OpenAsync(path);

        var state = await store.ReadStateAsync(StreamName.Parse("cart.1"));
        Assert.Equal((3L, "Cart", "{}"), (state!.Version, state.Type, Encoding.UTF8.GetString(state.Data.Span)));
        var due = await store.ReadDueMessagesAsync("mail", DateTimeOffset.MaxValue);
        Assert.Equal([first, second], due.Select(m => m.MessageId));
        Assert.Equal(("v", 2, "timed out", 3L), (due[0].Metadata["k"], due[1].FailureCount, due[1].LastError, due[1].Revision));

        // The keys are still unique: a state saved at a stored version and a message enqueued with a stored id conflict.
        await Assert.ThrowsAsync<QueueMessageConflictException>(async () => await store.CommitAsync(new CommitBatch().Enqueue("mail", first, "Send", new byte[] { 3 }, DateTimeOffset.UnixEpoch)));
        await Assert.ThrowsAsync<WrongExpectedVersionException>(async () => await store.CommitAsync(new CommitBatch().SaveState(StreamName.Parse("cart.1"), 3, "Cart", "{}"u8.ToArray())));
        await store.CommitAsync(new CommitBatch().SaveState(StreamName.Parse("cart.1"), 4, "Cart", "[]"u8.ToArray()).Enqueue("mail", Guid.NewGuid(), "Send", new byte[] { 3 }, DateTimeOffset.UnixEpoch));
        Assert.Equal(4, (await store.ReadStateAsync(StreamName.Parse("cart.1")))!.Version);
        Assert.Equal(3, (await store.ReadDueMessagesAsync("mail", DateTimeOffset.MaxValue)).Count);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_gives_CorruptDataException_not_a_provider_error()
    {
        var path = fixture.NewPath();
        await File.WriteAllTextAsync(path, "this is not a SQLite database, just text that is long enough to fill a header page....");

        var error = await Assert.ThrowsAsync<CorruptDataException>(async () => await SqliteEventStore.OpenAsync(path));

        Assert.IsType<SqliteException>(error.InnerException);
    }

    [Fact]
    public async Task A_damaged_row_gives_CorruptDataException_and_other_streams_still_read()
    {
        var path = fixture.NewPath();
        await (await SqliteEventStore.OpenAsync(path)).DisposeAsync();
        await using (var store = await SqliteEventStore.OpenAsync(path))
        {
            await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));
            await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, Event("Placed"));
        }

        RawExecute(path, "UPDATE events SET metadata = 'not json' WHERE stream = 'order.1';");
        await using var reopened = await SqliteEventStore.OpenAsync(path);

        var error = await Assert.ThrowsAsync<CorruptDataException>(async () => await reopened.ReadStreamAsync(StreamName.Parse("order.1")).ToListAsync());
        Assert.StartsWith("The event at position 2 cannot be read", error.Message, StringComparison.Ordinal);
        Assert.Single(await reopened.ReadStreamAsync(Account).ToListAsync());
        await reopened.AppendAsync(Account, ExpectedRevision.Exact(0), Event("Deposited"));
    }

    [Fact]
    public async Task Relaxed_durability_is_opt_in_and_still_commits()
    {
        Assert.Equal(SqliteDurability.Full, new SqliteEventStoreOptions().Durability);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = fixture.NewPath(), Durability = SqliteDurability.RelaxedOnPowerLoss });

        await store.AppendAsync(Account, ExpectedRevision.NoStream, Event("Opened"));

        Assert.Single(await store.ReadStreamAsync(Account).ToListAsync());
    }

    [Theory]
    [InlineData(nameof(SqliteEventStoreOptions.MaxGroupSize))]
    [InlineData(nameof(SqliteEventStoreOptions.MaxEventBytes))]
    [InlineData(nameof(SqliteEventStoreOptions.PollInterval))]
    public async Task Invalid_options_are_rejected_naming_the_field(string field)
    {
        var options = new SqliteEventStoreOptions { Path = fixture.NewPath() };
        switch (field)
        {
            case nameof(SqliteEventStoreOptions.MaxGroupSize):
                options.MaxGroupSize = 0;
                break;
            case nameof(SqliteEventStoreOptions.MaxEventBytes):
                options.MaxEventBytes = 0;
                break;
            default:
                options.PollInterval = TimeSpan.Zero;
                break;
        }

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await SqliteEventStore.OpenAsync(options));

        Assert.Contains($"SqliteEventStoreOptions.{field}", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.Path));
    }

    [Fact]
    public async Task The_catalogue_counts_streams_events_and_the_file()
    {
        await using var store = await SqliteEventStore.OpenAsync(fixture.NewPath());
        await store.AppendAsync(Account, ExpectedRevision.NoStream, [Event("Opened"), Event("Deposited")]);
        await store.AppendAsync(StreamName.Parse("order.1"), ExpectedRevision.NoStream, Event("Placed"));

        var catalogue = await store.GetCatalogueAsync();

        Assert.Equal(2, catalogue.Streams);
        Assert.Equal(3, catalogue.Events);
        Assert.Equal(3, catalogue.HeadPosition);
        Assert.True(catalogue.SizeBytes > 0);
    }

    [Fact]
    public async Task Commits_queued_before_dispose_complete_and_later_ones_are_refused()
    {
        var path = fixture.NewPath();
        var store = await SqliteEventStore.OpenAsync(path);
        var commits = Enumerable.Range(0, 50).Select(i => store.AppendAsync(StreamName.For("load", i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ExpectedRevision.NoStream, Event("E")).AsTask()).ToList();

        await store.DisposeAsync();

        await Task.WhenAll(commits);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.AppendAsync(Account, ExpectedRevision.Any, Event("Late")));
        await using var reopened = await SqliteEventStore.OpenAsync(path);
        Assert.Equal(50, (await reopened.GetCatalogueAsync()).Events);
    }

    private static EventData Event(string type) => new(Guid.NewGuid(), type, Encoding.UTF8.GetBytes($$"""{"type":"{{type}}"}"""));

    private static void RawExecute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
