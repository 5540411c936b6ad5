using Spectre.Console;

namespace Annals.Cli.Infrastructure;

/// <summary>Makes the Spectre console that draws a run's results on its output writer.</summary>
internal static class CliConsole
{
    /// <summary>
    /// The width when the output is not a terminal: wide enough that a row stays on one line, so
    /// redirected output can be searched line by line.
    /// </summary>
    public const int RedirectedWidth = 1024;

    public static IAnsiConsole Create(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        if (terminal)
        {
            return AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }
}
