using System.Text.RegularExpressions;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class TailCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Tail_delivers_an_event_appended_after_it_started_and_ends_cleanly_when_cancelled()
    {
        var db = await DemoStore.CreateAsync(_folder);
        var output = new SharedWriter();
        var error = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var tail = Task.Run(() => AnnalsCli.RunAsync(["tail", "--db", db], output, error, stop.Token));
        await output.WaitForAsync("Press Ctrl+C to stop.", "tail to start");
        (await Cli.RunAsync("append", "account.bob", "--type", "Deposited", "--data", """{"amount":5,"tags":["[gift]"]}""", "--db", db)).AssertSuccess();
        await output.WaitForAsync("\"amount\":5", "the appended event");
        await stop.CancelAsync();
        var exitCode = await tail.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Following {db}: events after position 19. Press Ctrl+C to stop.", lines[0].TrimEnd());
        Assert.Matches(@"^#20 account\.bob@7 Deposited \d{4}-\d\d-\d\dT[\d:.]+Z \{""amount"":5,""tags"":\[""\[gift\]""\]\}$", lines[1].TrimEnd());
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public async Task Tail_from_zero_with_a_filter_replays_the_matching_events_with_their_metadata()
    {
        var db = await DemoStore.CreateAsync(_folder);
        var output = new SharedWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var tail = Task.Run(() => AnnalsCli.RunAsync(["tail", "--from", "0", "--filter", "*.*.TransferSent,*.*.TransferReceived", "--metadata", "--db", db], output, TextWriter.Null, stop.Token));
        await output.WaitForAsync("#18 ", "the replayed events");
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await tail.WaitAsync(TimeSpan.FromSeconds(10)));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal($"Following {db}: events matching '*.*.TransferSent,*.*.TransferReceived' after position 0. Press Ctrl+C to stop.", lines[0]);
        Assert.Matches(@"^#8 account\.alice@3 TransferSent \S+ \{""account"":""alice"",""transfer"":""t-1001"",""to"":""bob"",""amount"":200\} \[correlation-id=t-1001, causation-id=t-1001\]$", lines[1]);
        Assert.Matches(@"^#9 account\.bob@2 TransferReceived \S+ \{.*\} \[correlation-id=t-1001, causation-id=[0-9a-f-]{36}\]$", lines[2]);
        Assert.Matches(@"^#15 account\.alice@5 TransferSent \S+ \{""account"":""alice"",""transfer"":""t-2001"",""to"":""bob"",""amount"":50\} \[correlation-id=[0-9a-f-]{36}, causation-id=[0-9a-f-]{36}\]$", lines[3]);
        Assert.Matches(@"^#16 account\.bob@4 TransferReceived \S+ \{""account"":""bob"",""transfer"":""t-2001"",""from"":""alice"",""amount"":50\} \[correlation-id=[0-9a-f-]{36}, causation-id=[0-9a-f-]{36}\]$", lines[4]);
        Assert.Matches(@"^#18 account\.bob@5 TransferSent \S+ \{""account"":""bob"",""transfer"":""t-2002"",""to"":""dave"",""amount"":20\} \[correlation-id=[0-9a-f-]{36}, causation-id=[0-9a-f-]{36}\]$", lines[5]);
        Assert.Equal(6, lines.Count);

        // The debit and credit of t-2001 share their request's correlation; t-2002's debit has its own.
        var correlations = lines.Skip(3).Select(l => Regex.Match(l, "correlation-id=([0-9a-f-]{36})").Groups[1].Value).ToList();
        Assert.Equal(correlations[0], correlations[1]);
        Assert.NotEqual(correlations[0], correlations[2]);
    }
}
