using Annals.Projections;
using Annals.Serialization;
using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class DemoCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Demo_tells_the_bank_step_by_step_and_ends_with_how_to_look_at_it()
    {
        var db = _folder.File("bank.db");

        var result = (await Cli.RunAsync("demo", "--db", db)).AssertSuccess();

        DemoOutput.AssertStory(result.Output);
        Assert.Contains($"annals streams --db {db}", result.Output);
        Assert.Contains($"annals read account.alice --metadata --db {db}", result.Output);
        Assert.Contains($"annals read-all --filter 'account.*.Opened' --db {db}", result.Output);
        Assert.Contains($"annals read-all --filter '*.*.Deposited' --db {db}", result.Output);
        Assert.Contains($"annals parked list process:transfers --db {db}", result.Output);
        Assert.Contains($"annals read transfer.t-2002 --db {db}", result.Output);
        Assert.Contains($"annals tail --db {db}", result.Output);
    }

    [Fact]
    public async Task Demo_stores_typed_events_under_their_registered_names_with_their_commands_metadata()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var log = await ReadAllAsync(store);

        Assert.Equal(
            [
                "Opened", "Opened", "Opened", "Deposited", "Deposited", "Deposited", "Withdrawn", "TransferSent", "TransferReceived", "Withdrawn", "Withdrawn", "Deposited", "Deposited",
                "TransferRequested", "TransferSent", "TransferReceived", "TransferRequested", "TransferSent", "Deposited",
            ],
            log.Select(e => e.Type));
        Assert.Equal("""{"account":"alice","owner":"Alice","email":"alice@example.com","currency":"EUR"}""", log[0].DataAsText());
        Assert.Equal("""{"account":"alice","transfer":"t-1001","to":"bob","amount":200}""", log[7].DataAsText());

        // The transfer requests are appended as they are, without a command; every other event was decided on a command.
        Assert.Equal([13, 16], log.Select((e, i) => (e, i)).Where(x => x.e.Metadata.Count == 0).Select(x => x.i));
        Assert.All(log.Where(e => e.Type != "TransferRequested"), e =>
        {
            Assert.Equal([MetadataKeys.CorrelationId, MetadataKeys.CausationId], e.Metadata.Keys);
            Assert.DoesNotContain(MetadataKeys.SchemaVersion, e.Metadata.Keys);
        });

        // Each command started its own correlation, except Bob's receipt, which joined the transfer's.
        Assert.Equal("cmd-004", log[3].Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal("cmd-004", log[3].Metadata[MetadataKeys.CausationId]);
        Assert.Equal("t-1001", log[7].Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal("t-1001", log[7].Metadata[MetadataKeys.CausationId]);
        Assert.Equal("t-1001", log[8].Metadata[MetadataKeys.CorrelationId]);
        Assert.True(Guid.TryParse(log[8].Metadata[MetadataKeys.CausationId], out _), log[8].Metadata[MetadataKeys.CausationId]);

        // The workflow's commands join the correlation of the request that started their instance, each caused by its own command.
        Assert.Equal(log[13].EventId.ToString(), log[14].Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal(log[13].EventId.ToString(), log[15].Metadata[MetadataKeys.CorrelationId]);
        Assert.Equal(log[16].EventId.ToString(), log[17].Metadata[MetadataKeys.CorrelationId]);
        var workflowCausations = new[] { log[14], log[15], log[17], log[18] }.Select(e => e.Metadata[MetadataKeys.CausationId]).ToList();
        Assert.All(workflowCausations, c => Assert.True(Guid.TryParse(c, out _), c));
        Assert.Equal(4, workflowCausations.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Demo_runs_a_transfer_workflow_that_credits_one_transfer_and_refunds_the_other()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var log = await ReadAllAsync(store);

        Assert.Equal(
            [
                (14L, "transfer.t-2001", 0L, "TransferRequested", """{"transfer":"t-2001","from":"alice","to":"bob","amount":50}"""),
                (15L, "account.alice", 5L, "TransferSent", """{"account":"alice","transfer":"t-2001","to":"bob","amount":50}"""),
                (16L, "account.bob", 4L, "TransferReceived", """{"account":"bob","transfer":"t-2001","from":"alice","amount":50}"""),
                (17L, "transfer.t-2002", 0L, "TransferRequested", """{"transfer":"t-2002","from":"bob","to":"dave","amount":20}"""),
                (18L, "account.bob", 5L, "TransferSent", """{"account":"bob","transfer":"t-2002","to":"dave","amount":20}"""),
                (19L, "account.bob", 6L, "Deposited", """{"account":"bob","amount":20,"reference":"refund of t-2002"}"""),
            ],
            log.Skip(13).Select(e => (e.Position, e.Stream.Value, e.Revision, e.Type, e.DataAsText())));

        // The refund came when the deadline fired, not before: two seconds after the request.
        Assert.True(log[18].Timestamp - log[16].Timestamp >= TimeSpan.FromSeconds(2), $"{log[16].Timestamp:O} -> {log[18].Timestamp:O}");

        // The process's checkpoint is at its last event; its instances ended, leaving no state and no pending timeout.
        Assert.Equal(18, await store.ReadCheckpointAsync("process:transfers"));
        Assert.Null(await store.ReadStateAsync(StreamName.For("process-transfers", "t-2001")));
        Assert.Null(await store.ReadStateAsync(StreamName.For("process-transfers", "t-2002")));
        Assert.Empty(await store.ReadDueMessagesAsync("process:transfers:timeouts", DateTimeOffset.MaxValue));

        // What is left is the credit to Dave, parked after its two attempts.
        var parked = Assert.Single(await store.ReadDueMessagesAsync("process:transfers:commands", DateTimeOffset.MaxValue));
        Assert.Equal("ReceiveTransfer", parked.Type);
        Assert.Equal("""{"account":"dave","transfer":"t-2002","from":"bob","amount":20}""", System.Text.Encoding.UTF8.GetString(parked.Data.Span));
        Assert.Equal(2, parked.FailureCount);
        Assert.True(parked.DueAt >= ParkedEvents.NotDue, $"{parked.DueAt:O}");
        Assert.Equal("AccountRejectedException: Rejected for account.dave: the account is not open.", parked.LastError);
        Assert.Equal(log[16].EventId.ToString(), parked.Metadata[MetadataKeys.CorrelationId]);
        Assert.Null(await store.GetStreamInfoAsync(StreamName.For("account", "dave")));
    }

    [Fact]
    public async Task After_the_demo_parked_list_shows_the_parked_credit_and_read_shows_the_request()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var parked = (await Cli.RunAsync("parked", "list", "process:transfers", "--db", db)).AssertSuccess();
        var request = (await Cli.RunAsync("read", "transfer.t-2002", "--db", db)).AssertSuccess();

        var row = Assert.Single(Tables.Rows(parked.Output));
        Assert.Equal(["command", "t-2002", "ReceiveTransfer", "account.dave", "2"], row[..5]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", row[5]);
        Assert.Equal("AccountRejectedException: Rejected for account.dave: the account is not open.", row[6]);
        Assert.True(Guid.TryParse(row[7], out _), row[7]);
        Assert.Contains("1 parked message", parked.Output);
        var read = Assert.Single(Tables.Rows(request.Output));
        Assert.Equal(["17", "0", "TransferRequested"], read[..3]);
        Assert.Equal("""{"transfer":"t-2002","from":"bob","to":"dave","amount":20}""", read[4]);
        Assert.Equal(5, read.Length);
    }

    [Fact]
    public async Task Demo_decides_both_racing_withdrawals_once_each()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var carol = await ReadAsync(store, StreamName.For("account", "carol"));

        Assert.Equal(["Opened", "Deposited", "Withdrawn", "Withdrawn"], carol.Select(e => e.Type));
        Assert.Equal(["cmd-008", "cmd-009"], carol.Skip(2).Select(e => e.Metadata[MetadataKeys.CausationId]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Demo_stores_nothing_of_the_rejected_commands()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var log = await ReadAllAsync(store);

        // The overdraft (t-1002) and Dave's account with Bob's e-mail left no event, no stream and no gap.
        Assert.Equal(19, await store.GetHeadPositionAsync());
        Assert.Equal(Enumerable.Range(1, 19).Select(p => (long)p), log.Select(e => e.Position));
        Assert.DoesNotContain(log, e => e.Metadata.GetValueOrDefault(MetadataKeys.CorrelationId) == "t-1002");
        Assert.Null(await store.GetStreamInfoAsync(StreamName.For("account", "dave")));
        Assert.Equal(["account.alice", "account.bob", "account.carol"], log.Where(e => e.Type == "Opened").Select(e => e.Stream.Value));
    }

    [Fact]
    public async Task Demo_saves_a_snapshot_at_the_fifth_event_of_an_account_only()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var alice = await store.ReadSnapshotAsync(StreamName.For("account", "alice"));

        Assert.NotNull(alice);
        Assert.Equal(4, alice.Revision);
        Assert.Equal("AccountState-v1", alice.Type);
        Assert.Equal("""{"owner":"Alice","balance":340}""", System.Text.Encoding.UTF8.GetString(alice.Data.Span));
        // Bob's fifth event (revision 4) was decided for the transfer workflow, whose route decides without snapshots.
        Assert.Null(await store.ReadSnapshotAsync(StreamName.For("account", "bob")));
        Assert.Null(await store.ReadSnapshotAsync(StreamName.For("account", "carol")));
    }

    [Fact]
    public async Task Demo_refuses_a_file_that_already_exists()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = await Cli.RunAsync("demo", "--db", db);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: '{db}' already exists and the demo writes a new store; pass --reset to replace it, or choose another --db.", result.ErrorLine);
    }

    [Fact]
    public async Task Demo_with_reset_replaces_the_store()
    {
        var db = _folder.File("bank.db");
        (await Cli.RunAsync("append", "note.1", "--type", "Noted", "--data", "{}", "--db", db)).AssertSuccess();

        (await Cli.RunAsync("demo", "--reset", "--db", db)).AssertSuccess();

        var streams = (await Cli.RunAsync("streams", "--db", db)).AssertSuccess();
        Assert.DoesNotContain("note.1", streams.Output);
        Assert.Contains("5 streams", streams.Output);
    }

    [Fact]
    public async Task Demo_with_reset_refuses_a_store_another_writer_owns_and_leaves_it_alone()
    {
        var db = _folder.File("owned.db");
        await using var owner = await SqliteEventStore.OpenAsync(db);
        await owner.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, EventData.FromText("Noted", "{}"));

        var result = await Cli.RunAsync("demo", "--reset", "--db", db);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal($"error: The store '{db}' is already open for writing by another process or store object; open it read-only to inspect it.", result.ErrorLine);
        Assert.Equal(1, await owner.GetHeadPositionAsync());
    }

    private static async Task<List<RecordedEvent>> ReadAllAsync(IEventStore store)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadAllAsync())
        {
            events.Add(e);
        }

        return events;
    }

    private static async Task<List<RecordedEvent>> ReadAsync(IEventStore store, StreamName stream)
    {
        var events = new List<RecordedEvent>();
        await foreach (var e in store.ReadStreamAsync(stream))
        {
            events.Add(e);
        }

        return events;
    }
}
