using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Xunit;

namespace Annals.Cli.Tests;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0, "0 bytes")]
    [InlineData(1023, "1023 bytes")]
    [InlineData(45056, "44.0 KiB (45056 bytes)")]
    [InlineData(3 * 1024 * 1024 + 512 * 1024, "3.5 MiB (3670016 bytes)")]
    public void Byte_sizes_are_shown_in_binary_units_with_the_exact_count(long bytes, string expected) =>
        Assert.Equal(expected, ByteSize.Format(bytes));

    [Theory]
    [InlineData("/tmp/bank.db", "/tmp/bank.db")]
    [InlineData("*.*.Deposited", "'*.*.Deposited'")]
    [InlineData("my bank.db", "'my bank.db'")]
    [InlineData("it's.db", "'it'\\''s.db'")]
    public void Suggested_arguments_are_quoted_only_when_a_shell_needs_it(string argument, string expected) =>
        Assert.Equal(expected, ShellText.Quote(argument));

    [Theory]
    [InlineData("any", "any")]
    [InlineData("no-stream", "no stream")]
    [InlineData("exists", "stream exists")]
    [InlineData("7", "7")]
    public void Expectations_are_read_from_their_names_or_a_revision(string text, string expected)
    {
        Assert.True(ExpectedRevisionText.TryParse(text, out var revision));
        Assert.Equal(expected, revision.ToString());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("latest")]
    [InlineData("")]
    public void Other_expectations_are_refused(string text) =>
        Assert.False(ExpectedRevisionText.TryParse(text, out _));
}
