using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals read-all [--filter PATTERNS] [--from POSITION] [--max N]</c>: the global log.</summary>
internal static class ReadAllCommand
{
    public static Command Create(CliContext context)
    {
        var filter = CommonOptions.Filter();
        var from = CommonOptions.NonNegative(new Option<long>("--from")
        {
            Description = "Show the events after this position (the last one seen, or a checkpoint); 0 is the start [default: 0].",
            HelpName = "position",
        });
        var max = CommonOptions.Max();
        var metadata = CommonOptions.Metadata();
        var command = new Command("read-all", "Show the global log in position order, optionally through a filter.") { filter, from, max, metadata };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var eventFilter = CommonOptions.ParseFilter(parseResult.GetValue(filter));
            var afterPosition = parseResult.GetValue(from);
            var maxCount = parseResult.GetValue(max);

            await using var store = await context.Target(parseResult).OpenForReadingAsync(cancellationToken);
            var table = new EventTable(showStream: true, showMetadata: parseResult.GetValue(metadata));
            var lastShown = afterPosition;
            var more = false;
            await foreach (var e in store.ReadAllAsync(afterPosition, eventFilter, CommonOptions.ReadLimit(maxCount), cancellationToken))
            {
                if (table.Count == maxCount)
                {
                    more = true;
                    break;
                }

                table.Add(e);
                lastShown = e.Position;
            }

            if (table.Count == 0)
            {
                var matching = eventFilter is null ? string.Empty : $" matching '{eventFilter}'";
                context.Console.WriteLine($"No events{matching} after position {afterPosition}.");
            }
            else
            {
                context.Console.Write(table.Table);
            }

            if (more)
            {
                context.Console.WriteLine($"More events follow: add --from {lastShown} to see them.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
