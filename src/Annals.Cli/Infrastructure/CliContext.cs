using System.CommandLine;
using Spectre.Console;

namespace Annals.Cli.Infrastructure;

/// <summary>What every command of one run shares: where to write, and the <c>--db</c> option.</summary>
internal sealed class CliContext
{
    /// <summary>The store used when <c>--db</c> is not given.</summary>
    public const string DefaultDatabase = "annals.db";

    public CliContext(IAnsiConsole console, TextWriter error)
    {
        Console = console;
        Error = error;
    }

    /// <summary>Where results are drawn.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Where errors are written.</summary>
    public TextWriter Error { get; }

    /// <summary>The store's file, given to the root command and every subcommand.</summary>
    public Option<string> Database { get; } = new("--db")
    {
        Description = "The store's SQLite file.",
        HelpName = "path",
        DefaultValueFactory = _ => DefaultDatabase,
        Recursive = true,
    };

    /// <summary>The store's file as typed on the command line (or the default).</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>The path.</returns>
    public string DatabasePath(ParseResult parseResult) => parseResult.GetValue(Database) ?? DefaultDatabase;
}
