using Annals.Postgres;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary>Every command against a store on PostgreSQL, each test in schemas of its own.</summary>
public sealed class PostgresCommandsTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync(_schemas);

    [Fact]
    public async Task Demo_writes_the_bank_to_a_schema_and_ends_with_how_to_look_at_it_there()
    {
        var schema = NewSchema();

        var result = (await Cli.RunAsync("demo", "--postgres", PostgresServer.ConnectionString, "--schema", schema)).AssertSuccess();

        Assert.Contains($"Annals demo: a small bank on deciders, written to schema '{schema}' on {PostgresServer.Display}", result.Output);
        DemoOutput.AssertStory(result.Output);
        Assert.Contains($"annals streams --postgres '{PostgresServer.ConnectionString}' --schema {schema}", result.Output);
        Assert.Contains($"annals parked list process:transfers --postgres '{PostgresServer.ConnectionString}' --schema {schema}", result.Output);
        Assert.Contains($"annals read transfer.t-2002 --postgres '{PostgresServer.ConnectionString}' --schema {schema}", result.Output);
        Assert.Contains($"annals tail --postgres '{PostgresServer.ConnectionString}' --schema {schema}", result.Output);
        await using var store = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = PostgresServer.ConnectionString, Schema = schema });
        Assert.Equal(19, await store.GetHeadPositionAsync());
        Assert.Null(await store.GetStreamInfoAsync(StreamName.For("account", "dave")));
        Assert.Equal(4, (await store.ReadSnapshotAsync(StreamName.For("account", "alice")))?.Revision);
    }

    [Fact]
    public async Task Demo_refuses_an_existing_schema_and_with_reset_replaces_it()
    {
        var schema = NewSchema();
        (await Cli.RunAsync("append", "note.1", "--type", "Noted", "--data", "{}", "--postgres", PostgresServer.ConnectionString, "--schema", schema)).AssertSuccess();

        var refused = await Cli.RunAsync("demo", "--postgres", PostgresServer.ConnectionString, "--schema", schema);
        (await Cli.RunAsync("demo", "--reset", "--postgres", PostgresServer.ConnectionString, "--schema", schema)).AssertSuccess();
        var streams = (await Cli.RunAsync("streams", "--postgres", PostgresServer.ConnectionString, "--schema", schema)).AssertSuccess();

        Assert.Equal(ExitCodes.UsageError, refused.ExitCode);
        Assert.Equal($"error: The schema '{schema}' on {PostgresServer.Display} already exists and the demo writes a new store; pass --reset to replace it, or choose another --schema.", refused.ErrorLine);
        Assert.DoesNotContain("note.1", streams.Output);
        Assert.Contains("5 streams", streams.Output);
    }

    [Fact]
    public async Task Streams_lists_every_stream_with_its_revisions_and_last_position()
    {
        var schema = await DemoAsync();

        (await RunAsync(schema, "append", "note.1", "--type", "Noted", "--data", "{}")).AssertSuccess();

        var result = (await RunAsync(schema, "streams")).AssertSuccess();
        var accounts = (await RunAsync(schema, "streams", "--category", "account")).AssertSuccess();

        Assert.Equal(
            [
                ["account.alice", "6", "0", "5", "15"],
                ["account.bob", "7", "0", "6", "19"],
                ["account.carol", "4", "0", "3", "11"],
                ["note.1", "1", "0", "0", "20"],
                ["transfer.t-2001", "1", "0", "0", "14"],
                ["transfer.t-2002", "1", "0", "0", "17"],
            ],
            Tables.Rows(result.Output));
        Assert.Contains("6 streams", result.Output);
        Assert.Equal(["account.alice", "account.bob", "account.carol"], Tables.Column(accounts.Output, 0));
    }

    [Fact]
    public async Task Read_shows_a_stream_forward_and_backward()
    {
        var schema = await DemoAsync();

        var forward = (await RunAsync(schema, "read", "account.alice")).AssertSuccess();
        var backward = (await RunAsync(schema, "read", "account.alice", "--backward", "--max", "2", "--metadata")).AssertSuccess();

        var rows = Tables.Rows(forward.Output);
        Assert.Equal(["1", "4", "7", "8", "12", "15"], rows.Select(r => r[0]));
        Assert.Equal(["Opened", "Deposited", "Withdrawn", "TransferSent", "Deposited", "TransferSent"], rows.Select(r => r[2]));
        Assert.Equal("""{"account":"alice","owner":"Alice","email":"alice@example.com","currency":"EUR"}""", rows[0][4]);
        Assert.Equal("""{"account":"alice","transfer":"t-2001","to":"bob","amount":50}""", rows[5][4]);
        Assert.Equal(["5", "4"], Tables.Column(backward.Output, 1));
        Assert.Contains("More events follow: add --from 3 --backward to see them.", backward.Output);
        var metadata = Tables.Column(backward.Output, 5);
        Assert.Matches(@"^correlation-id=[0-9a-f-]{36}, causation-id=[0-9a-f-]{36}$", metadata[0]);
        Assert.Equal("correlation-id=cmd-011, causation-id=cmd-011", metadata[1]);
        Assert.Equal(2, metadata.Count);
    }

    [Fact]
    public async Task Read_all_shows_the_log_through_a_filter_and_from_a_position()
    {
        var schema = await DemoAsync();

        var deposits = (await RunAsync(schema, "read-all", "--filter", "*.*.Deposited")).AssertSuccess();
        var page = (await RunAsync(schema, "read-all", "--from", "10", "--max", "1")).AssertSuccess();

        var rows = Tables.Rows(deposits.Output);
        Assert.Equal(["4", "5", "6", "12", "13", "19"], rows.Select(r => r[0]));
        Assert.Equal(["account.alice", "account.bob", "account.carol", "account.alice", "account.bob", "account.bob"], rows.Select(r => r[1]));
        Assert.Equal(["11"], Tables.Column(page.Output, 0));
        Assert.Contains("More events follow: add --from 11 to see them.", page.Output);
    }

    [Fact]
    public async Task Parked_list_shows_the_workflows_parked_credit_and_read_shows_the_request()
    {
        var schema = await DemoAsync();

        var parked = (await RunAsync(schema, "parked", "list", "process:transfers")).AssertSuccess();
        var request = (await RunAsync(schema, "read", "transfer.t-2002")).AssertSuccess();

        var row = Assert.Single(Tables.Rows(parked.Output));
        Assert.Equal(["command", "t-2002", "ReceiveTransfer", "account.dave", "2"], row[..5]);
        Assert.Equal("AccountRejectedException: Rejected for account.dave: the account is not open.", row[6]);
        Assert.Contains("1 parked message", parked.Output);
        var read = Assert.Single(Tables.Rows(request.Output));
        Assert.Equal(["17", "0", "TransferRequested"], read[..3]);
        Assert.Equal("""{"transfer":"t-2002","from":"bob","to":"dave","amount":20}""", read[4]);
    }

    [Fact]
    public async Task Append_makes_the_store_in_a_new_schema_and_a_wrong_expectation_stores_nothing()
    {
        var schema = NewSchema();

        var first = (await RunAsync(schema, "append", "account.alice", "--type", "Opened", "--data", """{"owner":"Alice"}""", "--expect", "no-stream")).AssertSuccess();
        var second = (await RunAsync(schema, "append", "account.alice", "--type", "Deposited", "--data", """{"amount":5}""", "--expect", "0")).AssertSuccess();
        var conflict = await RunAsync(schema, "append", "account.alice", "--type", "Deposited", "--data", "{}", "--expect", "5");
        var read = (await RunAsync(schema, "read", "account.alice")).AssertSuccess();

        Assert.Equal("Appended Opened to account.alice at revision 0, position 1.", first.Output.Trim());
        Assert.Equal("Appended Deposited to account.alice at revision 1, position 2.", second.Output.Trim());
        Assert.Equal(ExitCodes.StoreError, conflict.ExitCode);
        Assert.Equal("error: Stream 'account.alice' was expected at revision 5 but is at revision 1.", conflict.ErrorLine);
        Assert.Equal(["Opened", "Deposited"], Tables.Column(read.Output, 2));
    }

    [Fact]
    public async Task Stats_shows_streams_events_head_and_the_schemas_size()
    {
        var schema = await DemoAsync();

        var result = (await RunAsync(schema, "stats")).AssertSuccess();

        var lines = result.Output.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains($"Store          schema '{schema}' on {PostgresServer.Display}", lines);
        Assert.Contains("Streams        5", lines);
        Assert.Contains("Events         19", lines);
        Assert.Contains("Head position  19", lines);
        Assert.Contains("Schema         version 3", lines);
        Assert.Contains(lines, l => l.StartsWith("Checkpoints    ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Schema size    ", StringComparison.Ordinal) && l.EndsWith(" bytes)", StringComparison.Ordinal) && !l.Contains("(0 bytes)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tail_delivers_what_another_process_appends_and_ends_cleanly_when_cancelled()
    {
        var schema = await DemoAsync();
        var output = new SharedWriter();
        var error = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var tail = Task.Run(() => AnnalsCli.RunAsync(["tail", "--postgres", PostgresServer.ConnectionString, "--schema", schema], output, error, stop.Token));
        await output.WaitForAsync("Press Ctrl+C to stop.", "tail to start");
        (await RunAsync(schema, "append", "account.bob", "--type", "Deposited", "--data", """{"amount":5}""")).AssertSuccess();
        await output.WaitForAsync("\"amount\":5}", "the appended event");
        await stop.CancelAsync();
        var exitCode = await tail.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Following schema '{schema}' on {PostgresServer.Display}: events after position 19. Press Ctrl+C to stop.", lines[0].TrimEnd());
        Assert.Matches(@"^#20 account\.bob@7 Deposited \d{4}-\d\d-\d\dT[\d:.]+Z \{""amount"":5\}$", lines[1].TrimEnd());
        Assert.Equal(2, lines.Length);
    }

    [Theory]
    [InlineData("streams")]
    [InlineData("read", "account.alice")]
    [InlineData("read-all")]
    [InlineData("tail")]
    [InlineData("stats")]
    public async Task A_missing_schema_is_reported_in_one_line_by_every_read_only_command_and_not_made(params string[] command)
    {
        var schema = NewSchema();

        var result = await RunAsync(schema, command);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(
            $"error: No store in schema '{schema}' on {PostgresServer.Display}: the schema does not exist; pass --schema with a store's schema, or make one with 'annals demo --postgres ...'.",
            result.ErrorLine);
        Assert.Equal(string.Empty, result.Output);
        Assert.False(await PostgresServer.SchemaExistsAsync(schema));
    }

    private string NewSchema()
    {
        var schema = PostgresServer.NewSchema();
        _schemas.Add(schema);
        return schema;
    }

    private async Task<string> DemoAsync()
    {
        var schema = NewSchema();
        (await RunAsync(schema, "demo")).AssertSuccess();
        return schema;
    }

    private static Task<CliResult> RunAsync(string schema, params string[] args) =>
        Cli.RunAsync([.. args, "--postgres", PostgresServer.ConnectionString, "--schema", schema]);
}
