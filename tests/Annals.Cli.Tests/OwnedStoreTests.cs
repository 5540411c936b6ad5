using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary>The test holds the store open for writing, as another process would.</summary>
public sealed class OwnedStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SqliteEventStore _owner = null!;
    private string _db = null!;

    public async Task InitializeAsync()
    {
        _db = _folder.File("owned.db");
        _owner = await SqliteEventStore.OpenAsync(_db);
        await _owner.AppendAsync(StreamName.For("account", "alice"), ExpectedRevision.NoStream, [EventData.FromText("Opened", """{"owner":"Alice"}"""), EventData.FromText("Deposited", """{"amount":10}""")]);
    }

    public async Task DisposeAsync()
    {
        await _owner.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Append_to_a_store_another_writer_owns_reports_it_locked()
    {
        var result = await Cli.RunAsync("append", "account.alice", "--type", "Deposited", "--data", "{}", "--db", _db);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal($"error: The store '{_db}' is already open for writing by another process or store object; open it read-only to inspect it.", result.ErrorLine);
        Assert.Equal(2, await _owner.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Read_only_commands_work_while_another_writer_owns_the_store()
    {
        var streams = (await Cli.RunAsync("streams", "--db", _db)).AssertSuccess();
        var read = (await Cli.RunAsync("read", "account.alice", "--db", _db)).AssertSuccess();
        var readAll = (await Cli.RunAsync("read-all", "--filter", "*.*.Deposited", "--db", _db)).AssertSuccess();
        var stats = (await Cli.RunAsync("stats", "--db", _db)).AssertSuccess();

        Assert.Equal([["account.alice", "2", "0", "1", "2"]], Tables.Rows(streams.Output));
        Assert.Equal(["Opened", "Deposited"], Tables.Column(read.Output, 2));
        Assert.Equal(["2"], Tables.Column(readAll.Output, 0));
        Assert.Contains("Events         2", stats.Output);
    }

    [Fact]
    public async Task Tail_follows_what_another_writer_commits()
    {
        var output = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var tail = Task.Run(() => AnnalsCli.RunAsync(["tail", "--db", _db], output, TextWriter.Null, stop.Token));
        await output.WaitForAsync("Press Ctrl+C", "tail to start");
        await _owner.AppendAsync(StreamName.For("account", "alice"), ExpectedRevision.Exact(1), EventData.FromText("Withdrawn", """{"amount":3}"""));
        await output.WaitForAsync("Withdrawn", "the owner's event");
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await tail.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("#3 account.alice@2 Withdrawn ", output.ToString());
    }
}
