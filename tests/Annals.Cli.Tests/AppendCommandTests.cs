using Xunit;

namespace Annals.Cli.Tests;

public sealed class AppendCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Append_creates_the_store_and_prints_revision_and_position_then_read_shows_the_event()
    {
        var db = _folder.File("new.db");

        var append = (await Cli.RunAsync("append", "account.alice", "--type", "Deposited", "--data", """{"amount":5}""", "--db", db)).AssertSuccess();
        var read = (await Cli.RunAsync("read", "account.alice", "--db", db)).AssertSuccess();

        Assert.Equal("Appended Deposited to account.alice at revision 0, position 1.", append.Output.Trim());
        var row = Assert.Single(Tables.Rows(read.Output));
        Assert.Equal("1", row[0]);
        Assert.Equal("0", row[1]);
        Assert.Equal("Deposited", row[2]);
        Assert.Equal("""{"amount":5}""", row[4]);
    }

    [Fact]
    public async Task Append_honours_each_kind_of_expectation()
    {
        var db = _folder.File("expect.db");

        var first = (await Cli.RunAsync("append", "order.1", "--type", "Placed", "--data", "{}", "--expect", "no-stream", "--db", db)).AssertSuccess();
        var second = (await Cli.RunAsync("append", "order.1", "--type", "Paid", "--data", "{}", "--expect", "0", "--db", db)).AssertSuccess();
        var third = (await Cli.RunAsync("append", "order.1", "--type", "Shipped", "--data", "{}", "--expect", "exists", "--db", db)).AssertSuccess();
        var fourth = (await Cli.RunAsync("append", "order.1", "--type", "Noted", "--data", "\"late\"", "--expect", "any", "--db", db)).AssertSuccess();

        Assert.Equal("Appended Placed to order.1 at revision 0, position 1.", first.Output.Trim());
        Assert.Equal("Appended Paid to order.1 at revision 1, position 2.", second.Output.Trim());
        Assert.Equal("Appended Shipped to order.1 at revision 2, position 3.", third.Output.Trim());
        Assert.Equal("Appended Noted to order.1 at revision 3, position 4.", fourth.Output.Trim());
    }

    [Fact]
    public async Task Append_with_a_wrong_expected_revision_is_a_store_error_and_stores_nothing()
    {
        var db = _folder.File("conflict.db");
        (await Cli.RunAsync("append", "account.alice", "--type", "Opened", "--data", "{}", "--db", db)).AssertSuccess();

        var result = await Cli.RunAsync("append", "account.alice", "--type", "Deposited", "--data", "{}", "--expect", "5", "--db", db);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal("error: Stream 'account.alice' was expected at revision 5 but is at revision 0.", result.ErrorLine);
        Assert.Equal(string.Empty, result.Output);
        var read = (await Cli.RunAsync("read", "account.alice", "--db", db)).AssertSuccess();
        Assert.Single(Tables.Rows(read.Output));
    }

    [Fact]
    public async Task Append_expecting_no_stream_to_an_existing_stream_is_a_store_error()
    {
        var db = _folder.File("exists.db");
        (await Cli.RunAsync("append", "account.alice", "--type", "Opened", "--data", "{}", "--db", db)).AssertSuccess();

        var result = await Cli.RunAsync("append", "account.alice", "--type", "Opened", "--data", "{}", "--expect", "no-stream", "--db", db);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal("error: Stream 'account.alice' was expected not to exist but is at revision 0.", result.ErrorLine);
    }
}
