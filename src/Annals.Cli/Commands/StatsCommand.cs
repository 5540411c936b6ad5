using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals stats</c>: what the store holds, and the size of its file or schema.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stats", "Show the number of streams and events, the head position and the size of the file (SQLite) or schema (PostgreSQL).");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = context.Target(parseResult);
            await using var store = await target.OpenForReadingAsync(cancellationToken);
            var figures = await target.ReadFiguresAsync(store, cancellationToken);
            var grid = new Grid();
            grid.AddColumn();
            grid.AddColumn();
            grid.AddRow(new Text("Store"), new Text(target.Display));
            grid.AddRow(new Text("Streams"), new Text(EventText.Number(figures.Streams)));
            grid.AddRow(new Text("Events"), new Text(EventText.Number(figures.Events)));
            grid.AddRow(new Text("Head position"), new Text(EventText.Number(figures.HeadPosition)));
            grid.AddRow(new Text(figures.SizeLabel), new Text(ByteSize.Format(figures.SizeBytes)));
            context.Console.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }
}
