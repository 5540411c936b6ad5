using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class ReadCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Streams_lists_every_stream_with_its_revisions_and_last_position()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("streams", "--db", db)).AssertSuccess();

        Assert.Equal(
            [
                ["account.alice", "6", "0", "5", "15"],
                ["account.bob", "7", "0", "6", "19"],
                ["account.carol", "4", "0", "3", "11"],
                ["transfer.t-2001", "1", "0", "0", "14"],
                ["transfer.t-2002", "1", "0", "0", "17"],
            ],
            Tables.Rows(result.Output));
        Assert.Contains("5 streams", result.Output);
    }

    [Fact]
    public async Task The_store_may_be_named_before_the_command()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("--db", db, "streams")).AssertSuccess();

        Assert.Contains("5 streams", result.Output);
    }

    [Fact]
    public async Task Streams_with_a_category_lists_only_its_streams()
    {
        var db = await DemoStore.CreateAsync(_folder);
        (await Cli.RunAsync("append", "note.1", "--type", "Noted", "--data", "{}", "--db", db)).AssertSuccess();

        var result = (await Cli.RunAsync("streams", "--category", "account", "--db", db)).AssertSuccess();

        Assert.Equal(["account.alice", "account.bob", "account.carol"], Tables.Column(result.Output, 0));
    }

    [Fact]
    public async Task Streams_of_an_unknown_category_says_there_are_none()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("streams", "--category", "invoice", "--db", db)).AssertSuccess();

        Assert.Equal("No streams in category 'invoice'.", result.Output.Trim());
    }

    [Fact]
    public async Task Read_shows_a_stream_in_revision_order_with_its_data()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read", "account.alice", "--db", db)).AssertSuccess();

        var rows = Tables.Rows(result.Output);
        Assert.Equal(["1", "4", "7", "8", "12", "15"], rows.Select(r => r[0]));
        Assert.Equal(["0", "1", "2", "3", "4", "5"], rows.Select(r => r[1]));
        Assert.Equal(["Opened", "Deposited", "Withdrawn", "TransferSent", "Deposited", "TransferSent"], rows.Select(r => r[2]));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", rows[0][3]);
        Assert.Equal("""{"account":"alice","owner":"Alice","email":"alice@example.com","currency":"EUR"}""", rows[0][4]);
        Assert.Equal("""{"account":"alice","amount":500,"reference":"salary"}""", rows[1][4]);
        Assert.Equal("""{"account":"alice","transfer":"t-2001","to":"bob","amount":50}""", rows[5][4]);
        Assert.All(rows, r => Assert.Equal(5, r.Length));
        Assert.DoesNotContain("More events follow", result.Output);
    }

    [Fact]
    public async Task Read_with_metadata_shows_each_events_correlation_and_causation()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read", "account.alice", "--metadata", "--db", db)).AssertSuccess();
        var all = (await Cli.RunAsync("read-all", "--filter", "*.*.TransferSent", "-m", "--db", db)).AssertSuccess();
        var requests = (await Cli.RunAsync("read-all", "--filter", "transfer.*", "-m", "--db", db)).AssertSuccess();

        // The workflow's debit of t-2001 joined the correlation of its request, the event with that id.
        var t2001 = await RequestIdAsync(db, "t-2001");
        var t2002 = await RequestIdAsync(db, "t-2002");
        var metadata = Tables.Column(result.Output, 5);
        Assert.Equal(
            [
                "correlation-id=cmd-001, causation-id=cmd-001",
                "correlation-id=cmd-004, causation-id=cmd-004",
                "correlation-id=cmd-007, causation-id=cmd-007",
                "correlation-id=t-1001, causation-id=t-1001",
                "correlation-id=cmd-011, causation-id=cmd-011",
            ],
            metadata.Take(5));
        Assert.Matches($@"^correlation-id={t2001}, causation-id=[0-9a-f-]{{36}}$", Assert.Single(metadata.Skip(5)));
        Assert.Equal(
            [["8", "account.alice", "3", "TransferSent"], ["15", "account.alice", "5", "TransferSent"], ["18", "account.bob", "5", "TransferSent"]],
            Tables.Rows(all.Output).Select(r => r[..4]));
        var sent = Tables.Column(all.Output, 6);
        Assert.Equal("correlation-id=t-1001, causation-id=t-1001", sent[0]);
        Assert.Matches($@"^correlation-id={t2001}, causation-id=[0-9a-f-]{{36}}$", sent[1]);
        Assert.Matches($@"^correlation-id={t2002}, causation-id=[0-9a-f-]{{36}}$", sent[2]);
        Assert.Equal(3, sent.Count);

        // The requests were appended without a command: no metadata.
        Assert.Equal([["14", "transfer.t-2001", "0", "TransferRequested"], ["17", "transfer.t-2002", "0", "TransferRequested"]], Tables.Rows(requests.Output).Select(r => r[..4]));
        Assert.Equal(["", ""], Tables.Column(requests.Output, 6));
    }

    [Fact]
    public async Task Read_backward_with_max_shows_the_newest_and_how_to_go_on()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read", "account.alice", "--backward", "--max", "2", "--db", db)).AssertSuccess();

        Assert.Equal(["5", "4"], Tables.Column(result.Output, 1));
        Assert.Contains("More events follow: add --from 3 --backward to see them.", result.Output);
    }

    [Fact]
    public async Task Read_from_a_revision_starts_there()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read", "account.alice", "--from", "2", "--db", db)).AssertSuccess();

        Assert.Equal(["2", "3", "4", "5"], Tables.Column(result.Output, 1));
    }

    [Fact]
    public async Task Read_of_a_stream_that_does_not_exist_says_so()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read", "account.zoe", "--db", db)).AssertSuccess();

        Assert.Equal("Stream 'account.zoe' does not exist.", result.Output.Trim());
    }

    [Fact]
    public async Task Read_all_with_a_filter_shows_only_matching_events()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read-all", "--filter", "*.*.Deposited", "--db", db)).AssertSuccess();

        var rows = Tables.Rows(result.Output);
        Assert.Equal(["4", "5", "6", "12", "13", "19"], rows.Select(r => r[0]));
        Assert.Equal(["account.alice", "account.bob", "account.carol", "account.alice", "account.bob", "account.bob"], rows.Select(r => r[1]));
        Assert.All(rows, r => Assert.Equal("Deposited", r[3]));
    }

    [Fact]
    public async Task Read_all_with_several_patterns_shows_what_any_matches()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read-all", "--filter", "account.bob,*.*.Withdrawn", "--db", db)).AssertSuccess();

        Assert.Equal(["2", "5", "7", "9", "10", "11", "13", "16", "18", "19"], Tables.Column(result.Output, 0));
    }

    [Fact]
    public async Task Read_all_from_a_position_reads_after_it_and_max_limits_it()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read-all", "--from", "10", "--max", "1", "--db", db)).AssertSuccess();

        Assert.Equal(["11"], Tables.Column(result.Output, 0));
        Assert.Contains("More events follow: add --from 11 to see them.", result.Output);
    }

    [Fact]
    public async Task Read_all_after_the_head_says_there_is_nothing()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("read-all", "--from", "19", "--db", db)).AssertSuccess();

        Assert.Equal("No events after position 19.", result.Output.Trim());
    }

    [Fact]
    public async Task Stats_shows_streams_events_head_and_file_size()
    {
        var db = await DemoStore.CreateAsync(_folder);

        var result = (await Cli.RunAsync("stats", "--db", db)).AssertSuccess();

        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains($"Store          {db}", lines);
        Assert.Contains("Streams        5", lines);
        Assert.Contains("Events         19", lines);
        Assert.Contains("Head position  19", lines);
        Assert.Contains("Schema         version 3", lines);
        Assert.Contains("Snapshots      1", lines);
        Assert.Contains("States         0", lines);
        Assert.Contains("Checkpoints    2", lines);
        Assert.Contains("Messages       1", lines);
        Assert.Contains(lines, l => l.StartsWith("File size      ", StringComparison.Ordinal) && l.EndsWith(" bytes)", StringComparison.Ordinal));
    }

    private static async Task<string> RequestIdAsync(string db, string transfer)
    {
        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });
        await foreach (var e in store.ReadStreamAsync(StreamName.For("transfer", transfer)))
        {
            return e.EventId.ToString();
        }

        throw new InvalidOperationException($"transfer.{transfer} has no events.");
    }
}
