using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals stats</c>: what the store holds, and the size of its file or schema.</summary>
internal static class StatsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("stats", "Show what the store holds (streams, events, head position, snapshots, states, checkpoints, queue messages), its schema version and the size of its file (SQLite) or schema (PostgreSQL).");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = context.Target(parseResult);
            await using var store = await target.OpenForReadingAsync(cancellationToken);

            // Every backend the tool opens reports its own catalogue, so the tool knows none of their tables.
            var catalogue = await ((IStoreCatalogueReader)store).GetCatalogueAsync(cancellationToken);
            var grid = new Grid();
            grid.AddColumn();
            grid.AddColumn();
            grid.AddRow(new Text("Store"), new Text(target.Display));
            if (catalogue.SchemaVersion is { } version)
            {
                grid.AddRow(new Text("Schema"), new Text($"version {version}"));
            }

            grid.AddRow(new Text("Streams"), new Text(EventText.Number(catalogue.Streams)));
            grid.AddRow(new Text("Events"), new Text(EventText.Number(catalogue.Events)));
            grid.AddRow(new Text("Head position"), new Text(EventText.Number(catalogue.HeadPosition)));
            grid.AddRow(new Text("Snapshots"), new Text(EventText.Number(catalogue.Snapshots)));
            grid.AddRow(new Text("States"), new Text(EventText.Number(catalogue.States)));
            grid.AddRow(new Text("Checkpoints"), new Text(EventText.Number(catalogue.Checkpoints)));
            grid.AddRow(new Text("Messages"), new Text(EventText.Number(catalogue.QueueMessages)));
            if (catalogue.SizeBytes is { } size)
            {
                grid.AddRow(new Text(target.SizeLabel), new Text(ByteSize.Format(size)));
            }
            context.Console.Write(grid);
            return ExitCodes.Success;
        });
        return command;
    }
}
