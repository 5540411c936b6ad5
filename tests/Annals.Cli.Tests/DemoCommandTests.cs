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
        Assert.Contains($"annals tail --db {db}", result.Output);
    }

    [Fact]
    public async Task Demo_stores_typed_events_under_their_registered_names_with_their_commands_metadata()
    {
        var db = await DemoStore.CreateAsync(_folder);
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        var log = await ReadAllAsync(store);

        Assert.Equal(
            ["Opened", "Opened", "Opened", "Deposited", "Deposited", "Deposited", "Withdrawn", "TransferSent", "TransferReceived", "Withdrawn", "Withdrawn", "Deposited", "Deposited"],
            log.Select(e => e.Type));
        Assert.Equal("""{"account":"alice","owner":"Alice","email":"alice@example.com","currency":"EUR"}""", log[0].DataAsText());
        Assert.Equal("""{"account":"alice","transfer":"t-1001","to":"bob","amount":200}""", log[7].DataAsText());
        Assert.All(log, e =>
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
        Assert.Equal(13, await store.GetHeadPositionAsync());
        Assert.Equal(Enumerable.Range(1, 13).Select(p => (long)p), log.Select(e => e.Position));
        Assert.DoesNotContain(log, e => e.Metadata[MetadataKeys.CorrelationId] == "t-1002");
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
        Assert.Contains("3 streams", streams.Output);
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
