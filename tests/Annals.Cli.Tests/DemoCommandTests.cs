using Annals.Sqlite;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_writes_the_bank_step_by_step_and_ends_with_how_to_look_at_it()
    {
        using var folder = new TempFolder();
        var db = folder.File("bank.db");

        var result = (await Cli.RunAsync("demo", "--db", db)).AssertSuccess();

        Assert.Contains("account.alice    Opened             owner Alice, EUR                   revision 0, position 1", result.Output);
        Assert.Contains("Read account.alice: balance 440 EUR as of position 7.", result.Output);
        Assert.Contains("account.alice    Withdrawn          200 EUR to account.bob             revision 3, position 9", result.Output);
        Assert.Contains("Rejected with AppendConditionFailedException: Append condition failed: no event matching 'account.alice' was expected after position 7, but one was committed at position 9.", result.Output);
        Assert.Contains("transfer.t-1002  TransferDeclined   300 EUR, insufficient funds        revision 0, position 12", result.Output);
        Assert.Contains("checkpoint 'balances' saved at position 12.", result.Output);
        Assert.Contains($"annals streams --db {db}", result.Output);
        Assert.Contains($"annals read account.alice --db {db}", result.Output);
        Assert.Contains($"annals read-all --filter '*.*.Deposited' --db {db}", result.Output);
        Assert.Contains($"annals tail --db {db}", result.Output);
        Assert.Equal([["account.alice", "240"], ["account.bob", "320"], ["account.carol", "255"]], Tables.Rows(result.Output));
    }

    [Fact]
    public async Task Demo_saves_the_read_models_checkpoint_at_the_head()
    {
        using var folder = new TempFolder();
        var db = await DemoStore.CreateAsync(folder);

        await using var store = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = db, ReadOnly = true });

        Assert.Equal(12, await store.ReadCheckpointAsync("balances"));
        Assert.Equal(12, await store.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Demo_refuses_a_file_that_already_exists()
    {
        using var folder = new TempFolder();
        var db = await DemoStore.CreateAsync(folder);

        var result = await Cli.RunAsync("demo", "--db", db);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: '{db}' already exists and the demo writes a new store; pass --reset to replace it, or choose another --db.", result.ErrorLine);
    }

    [Fact]
    public async Task Demo_with_reset_replaces_the_store()
    {
        using var folder = new TempFolder();
        var db = folder.File("bank.db");
        (await Cli.RunAsync("append", "note.1", "--type", "Noted", "--data", "{}", "--db", db)).AssertSuccess();

        (await Cli.RunAsync("demo", "--reset", "--db", db)).AssertSuccess();

        var streams = (await Cli.RunAsync("streams", "--db", db)).AssertSuccess();
        Assert.DoesNotContain("note.1", streams.Output);
        Assert.Contains("5 streams", streams.Output);
    }

    [Fact]
    public async Task Demo_with_reset_refuses_a_store_another_writer_owns_and_leaves_it_alone()
    {
        using var folder = new TempFolder();
        var db = folder.File("owned.db");
        await using var owner = await SqliteEventStore.OpenAsync(db);
        await owner.AppendAsync(StreamName.For("note", "1"), ExpectedRevision.NoStream, EventData.FromText("Noted", "{}"));

        var result = await Cli.RunAsync("demo", "--reset", "--db", db);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal($"error: The store '{db}' is already open for writing by another process or store object; open it read-only to inspect it.", result.ErrorLine);
        Assert.Equal(1, await owner.GetHeadPositionAsync());
    }
}
