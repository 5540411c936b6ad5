using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Storage.Providers;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals streams [--category C]</c>: a table of the streams that exist.</summary>
internal static class StreamsCommand
{
    public static Command Create(CliContext context)
    {
        var category = new Option<string?>("--category", "-c")
        {
            Description = "Only the streams of this category, e.g. account.",
            HelpName = "category",
        };
        var command = new Command("streams", "List the streams: name, events, first and last revision, last position.") { category };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var only = parseResult.GetValue(category);
            if (only is not null)
            {
                NameChecks.Category(only);
            }

            await using var store = await context.Target(parseResult).OpenForReadingAsync(cancellationToken);
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("Stream");
            table.AddColumn(new TableColumn("Events").RightAligned());
            table.AddColumn(new TableColumn("First revision").RightAligned());
            table.AddColumn(new TableColumn("Last revision").RightAligned());
            table.AddColumn(new TableColumn("Last position").RightAligned());
            var count = 0;
            await foreach (var stream in store.ListStreamsAsync(only, cancellationToken))
            {
                count++;
                table.AddRow(
                    new Text(stream.Stream.Value),
                    new Text(EventText.Number(stream.Count)),
                    new Text(EventText.Number(stream.FirstRevision)),
                    new Text(EventText.Number(stream.LastRevision)),
                    new Text(EventText.Number(stream.LastPosition)));
            }

            if (count == 0)
            {
                context.Console.WriteLine(only is null ? "No streams." : $"No streams in category '{only}'.");
                return ExitCodes.Success;
            }

            context.Console.Write(table);
            context.Console.WriteLine(count == 1 ? "1 stream" : $"{count} streams");
            return ExitCodes.Success;
        });
        return command;
    }
}
