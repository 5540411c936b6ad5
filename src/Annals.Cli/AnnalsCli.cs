using System.CommandLine;
using System.CommandLine.Invocation;
using Annals.Cli.Commands;
using Annals.Cli.Infrastructure;

namespace Annals.Cli;

/// <summary>The <c>annals</c> command-line tool, runnable in-process.</summary>
/// <example>
/// <code>
/// var exitCode = await AnnalsCli.RunAsync(["streams", "--db", "bank.db"], Console.Out, Console.Error);
/// </code>
/// </example>
public static class AnnalsCli
{
    /// <summary>Parses the arguments, runs the command they name and reports its outcome.</summary>
    /// <param name="args">The command line, without the program's name.</param>
    /// <param name="output">Where results go. Tables are drawn with colours only when this is the console's own output on a terminal.</param>
    /// <param name="error">Where errors go: one line, <c>error: …</c>, for a mistake of the user or a refusal of the store.</param>
    /// <param name="cancellationToken">Stops the command, as Ctrl+C does; <c>tail</c> then ends normally.</param>
    /// <returns>The exit code, one of <see cref="ExitCodes"/>.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var context = new CliContext(CliConsole.Create(output), error);
        var parseResult = RootCommandFactory.Create(context).Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return ErrorReporter.ReportUsage(parseResult, error);
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            // Errors are reported by ErrorReporter, and Ctrl+C is turned into the token by the caller.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, error, cancellationToken);
        }
    }
}
