using Xunit;

namespace Annals.Cli.Tests;

/// <summary>A user's mistake gives one line on the error output and exit code 1; nothing on the output.</summary>
public sealed class ErrorReportingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_bad_stream_name_is_reported_in_one_line()
    {
        var db = await DemoStore.CreateAsync(_folder);

        await AssertUsageErrorAsync(
            "error: Invalid stream name 'alice': a stream name is 'category.id' and this one has no '.'.",
            "read", "alice", "--db", db);
    }

    [Fact]
    public async Task A_bad_stream_name_on_append_is_reported_before_the_store_is_made()
    {
        var db = _folder.File("never.db");

        await AssertUsageErrorAsync(
            "error: Invalid stream name 'account.a b': the id contains '\\u0020'; '.', '*', '>', whitespace, control and format characters are not allowed.",
            "append", "account.a b", "--type", "Opened", "--data", "{}", "--db", db);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task A_bad_filter_is_reported_in_one_line()
    {
        var db = await DemoStore.CreateAsync(_folder);

        await AssertUsageErrorAsync(
            "error: Invalid filter 'account..x': token 2 '' is invalid: the id is empty.",
            "read-all", "--filter", "account..x", "--db", db);
    }

    [Fact]
    public async Task A_bad_filter_on_tail_is_reported_in_one_line()
    {
        var db = await DemoStore.CreateAsync(_folder);

        await AssertUsageErrorAsync("error: Invalid filter '': the pattern is empty.", "tail", "--filter", "", "--db", db);
    }

    [Fact]
    public async Task Data_that_is_not_json_is_reported_in_one_line()
    {
        var db = _folder.File("json.db");

        await AssertUsageErrorAsync(
            "error: --data is not valid JSON: 'a' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.",
            "append", "account.alice", "--type", "Deposited", "--data", "amount=5", "--db", db);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task A_bad_event_type_is_reported_in_one_line()
    {
        var db = _folder.File("type.db");

        await AssertUsageErrorAsync(
            "error: Invalid type name 'Money.In': the type contains '.'; only letters, digits, '_' and '-' are allowed.",
            "append", "account.alice", "--type", "Money.In", "--data", "{}", "--db", db);
    }

    [Theory]
    [InlineData("streams")]
    [InlineData("read", "account.alice")]
    [InlineData("read-all")]
    [InlineData("tail")]
    [InlineData("stats")]
    public async Task A_missing_file_is_reported_in_one_line_by_every_read_only_command(params string[] command)
    {
        var db = _folder.File("missing.db");

        await AssertUsageErrorAsync(
            $"error: No store at '{db}': the file does not exist; pass --db with a store's file, or make one with 'annals demo'.",
            [.. command, "--db", db]);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public async Task A_missing_folder_for_a_new_store_is_reported_in_one_line()
    {
        var folder = _folder.File("nowhere");
        var db = Path.Combine(folder, "x.db");

        await AssertUsageErrorAsync(
            $"error: Cannot make a store at '{db}': the folder '{folder}' does not exist.",
            "append", "account.alice", "--type", "Opened", "--data", "{}", "--db", db);
    }

    [Fact]
    public async Task A_bad_expectation_is_reported_in_one_line()
    {
        await AssertUsageErrorAsync(
            "error: --expect must be any, no-stream, exists or a revision (0 or more), not 'latest'. See 'annals append --help'.",
            "append", "account.alice", "--type", "Opened", "--data", "{}", "--expect", "latest");
    }

    [Fact]
    public async Task A_missing_required_option_is_reported_in_one_line()
    {
        await AssertUsageErrorAsync("error: Option '--type' is required. See 'annals append --help'.", "append", "account.alice", "--data", "{}");
    }

    [Fact]
    public async Task A_negative_max_is_reported_in_one_line()
    {
        await AssertUsageErrorAsync("error: --max must be 0 or more, not -1. See 'annals read-all --help'.", "read-all", "--max", "-1");
    }

    [Fact]
    public async Task A_negative_position_is_reported_in_one_line()
    {
        await AssertUsageErrorAsync("error: --from must be 0 or more, not -5. See 'annals tail --help'.", "tail", "--from", "-5");
    }

    [Fact]
    public async Task An_unknown_command_is_reported_in_one_line()
    {
        await AssertUsageErrorAsync("error: Unrecognized command or argument 'list'. See 'annals --help'.", "list");
    }

    [Fact]
    public async Task A_bad_category_is_reported_in_one_line()
    {
        var db = await DemoStore.CreateAsync(_folder);

        await AssertUsageErrorAsync(
            "error: Invalid category name 'account.alice': the category contains '.'; only letters, digits, '_' and '-' are allowed.",
            "streams", "--category", "account.alice", "--db", db);
    }

    [Fact]
    public async Task No_command_shows_help_and_fails()
    {
        var result = await Cli.RunAsync();

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("read-all", result.Output);
    }

    [Fact]
    public async Task Help_of_a_command_succeeds()
    {
        var result = (await Cli.RunAsync("append", "--help")).AssertSuccess();

        Assert.Contains("--expect <any|no-stream|exists|N>", result.Output);
    }

    private static async Task AssertUsageErrorAsync(string expectedLine, params string[] args)
    {
        var result = await Cli.RunAsync(args);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(expectedLine, result.ErrorLine);
        Assert.Equal(string.Empty, result.Output);
    }
}
