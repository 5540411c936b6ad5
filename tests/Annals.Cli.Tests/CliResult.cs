using Xunit;

namespace Annals.Cli.Tests;

/// <summary>What one run of the tool printed, and its exit code.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The error output, which must be exactly one line.</summary>
    public string ErrorLine
    {
        get
        {
            var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, $"Expected one error line, got {lines.Length}:\n{Error}");
            return lines[0].TrimEnd('\r');
        }
    }

    public CliResult AssertSuccess()
    {
        Assert.True(ExitCode == ExitCodes.Success, $"Exit code {ExitCode}.\nOutput:\n{Output}\nError:\n{Error}");
        Assert.Equal(string.Empty, Error);
        return this;
    }
}
