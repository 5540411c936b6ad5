namespace Annals.Cli.Tests;

/// <summary>Runs the tool in-process and captures what it prints.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AnnalsCli.RunAsync(args, output, error, CancellationToken.None);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
