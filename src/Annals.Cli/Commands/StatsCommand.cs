using System.CommandLine;
using System.Globalization;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals stats</c>: what the store's file holds.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stats", "Show the number of streams and events, the head position and the file's size.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var store = await StoreAccess.OpenForReadingAsync(context.DatabasePath(parseResult), cancellationToken);
            var statistics = await store.GetStatisticsAsync(cancellationToken);
            var grid = new Grid();
            grid.AddColumn();
            grid.AddColumn();
            grid.AddRow(new Text("Store"), new Text(store.Path));
            grid.AddRow(new Text("Streams"), new Text(Number(statistics.Streams)));
            grid.AddRow(new Text("Events"), new Text(Number(statistics.Events)));
            grid.AddRow(new Text("Head position"), new Text(Number(statistics.HeadPosition)));
            grid.AddRow(new Text("File size"), new Text(ByteSize.Format(statistics.FileBytes)));
            context.Console.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
