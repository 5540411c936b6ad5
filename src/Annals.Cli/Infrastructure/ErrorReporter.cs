using System.CommandLine;
using System.CommandLine.Parsing;
using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>Turns what went wrong into one line on the error output and an exit code.</summary>
internal static class ErrorReporter
{
    public static int ReportUsage(ParseResult parseResult, TextWriter error)
    {
        var messages = string.Join(' ', parseResult.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal));
        // The whole path of a subcommand ('annals store list --help'): its name alone is no command.
        var path = new List<string>();
        for (var result = parseResult.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as CommandResult)
        {
            path.Insert(0, result.Command.Name);
        }

        var help = path.Count == 0 ? "annals --help" : $"annals {string.Join(' ', path)} --help";
        WriteLine(error, $"{messages} See '{help}'.");
        return ExitCodes.UsageError;
    }

    public static int Report(Exception exception, TextWriter error, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                WriteLine(error, "canceled.");
                return ExitCodes.Canceled;
            case CliInputException or InvalidNameException or InvalidFilterException or InvalidBatchException or EventTooLargeException:
                WriteLine(error, exception.Message);
                return ExitCodes.UsageError;
            case AnnalsException or IOException or UnauthorizedAccessException:
                WriteLine(error, exception.Message);
                return ExitCodes.StoreError;
            default:
                error.WriteLine($"error: unexpected failure: {exception}");
                return ExitCodes.InternalError;
        }
    }

    private static void WriteLine(TextWriter error, string message) =>
        error.WriteLine("error: " + message.ReplaceLineEndings(" ").Trim());
}
