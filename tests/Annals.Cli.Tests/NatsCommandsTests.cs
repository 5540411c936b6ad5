using Xunit;

namespace Annals.Cli.Tests;

/// <summary>The commands against a store on the NATS server that the test command starts (<c>ANNALS_NATS_URL</c>).</summary>
public sealed class NatsCommandsTests
{
    private static int _count;

    private static string Url =>
        Environment.GetEnvironmentVariable("ANNALS_NATS_URL") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ANNALS_NATS_URL is not set: run the tests with ./test.sh, which starts a NATS server and sets it.");

    [Fact]
    public async Task Append_read_streams_and_stats_work_on_a_nats_store()
    {
        var store = NewStore();

        var appended = (await Cli.RunAsync("append", "account.alice", "--type", "Deposited", "--data", """{"amount":5}""", "--nats", Url, "--store", store)).AssertSuccess();
        (await Cli.RunAsync("append", "account.bob", "--type", "Deposited", "--data", """{"amount":7}""", "--nats", Url, "--store", store)).AssertSuccess();
        var read = (await Cli.RunAsync("read", "account.alice", "--nats", Url, "--store", store)).AssertSuccess();
        var streams = (await Cli.RunAsync("streams", "--nats", Url, "--store", store)).AssertSuccess();
        var stats = (await Cli.RunAsync("stats", "--nats", Url, "--store", store)).AssertSuccess();

        Assert.Contains("Appended Deposited to account.alice at revision 0", appended.Output);
        Assert.Contains("""{"amount":5}""", read.Output);
        Assert.Equal(["account.alice", "account.bob"], Tables.Rows(streams.Output).Select(r => r[0]));
        Assert.Contains($"NATS store '{store}' on {Url}", stats.Output);
    }

    [Fact]
    public async Task A_missing_store_is_reported_and_not_made()
    {
        var store = NewStore();

        var result = await Cli.RunAsync("streams", "--nats", Url, "--store", store);
        var again = await Cli.RunAsync("streams", "--nats", Url, "--store", store);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith($"error: No store in NATS store '{store}' on {Url}", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, again.ExitCode);
    }

    [Theory]
    [InlineData("--db", "x.db")]
    [InlineData("--postgres", "Host=localhost")]
    public async Task Nats_with_another_store_option_is_a_usage_error(string option, string value)
    {
        var result = await Cli.RunAsync("streams", "--nats", Url, option, value);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("--nats cannot be used with --db or --postgres", result.ErrorLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orders")]
    [InlineData("orders.eu")]
    [InlineData("orders>")]
    public async Task A_malformed_store_name_is_a_usage_error(string name)
    {
        var result = await Cli.RunAsync("streams", "--nats", Url, "--store", name);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith($"error: --store '{name}' is invalid: ", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_is_refused_on_nats_before_anything_is_written()
    {
        var store = NewStore();

        var result = await Cli.RunAsync("demo", "--nats", Url, "--store", store);
        var streams = await Cli.RunAsync("streams", "--nats", Url, "--store", store);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("process manager", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, streams.ExitCode);
    }

    private static string NewStore() => $"cli{Environment.ProcessId}_{Interlocked.Increment(ref _count)}";
}
