using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals read &lt;stream&gt; [--from REV] [--max N] [--backward]</c>: the events of one stream.</summary>
internal static class ReadCommand
{
    public static Command Create(CliContext context)
    {
        var stream = new Argument<string>("stream") { Description = "The stream, category.id, e.g. account.alice." };
        var from = CommonOptions.NonNegative(new Option<long?>("--from")
        {
            Description = "The first revision to show; with --backward, the revision to count down from [default: the first, or the last with --backward].",
            HelpName = "revision",
        });
        var max = CommonOptions.Max();
        var metadata = CommonOptions.Metadata();
        var backward = new Option<bool>("--backward", "-b") { Description = "Show the newest events first." };
        var command = new Command("read", "Show the events of one stream: position, revision, type, timestamp and data.")
        {
            stream, from, max, backward, metadata,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = StreamName.Parse(parseResult.GetRequiredValue(stream));
            var fromRevision = parseResult.GetValue(from);
            var maxCount = parseResult.GetValue(max);
            var isBackward = parseResult.GetValue(backward);

            await using var store = await context.Target(parseResult).OpenForReadingAsync(cancellationToken);
            if (await store.GetStreamInfoAsync(name, cancellationToken) is null)
            {
                context.Console.WriteLine($"Stream '{name}' does not exist.");
                return ExitCodes.Success;
            }

            var limit = CommonOptions.ReadLimit(maxCount);
            var events = isBackward
                ? store.ReadStreamBackwardAsync(name, fromRevision ?? long.MaxValue, limit, cancellationToken)
                : store.ReadStreamAsync(name, fromRevision ?? 0, limit, cancellationToken);
            var table = new EventTable(showStream: false, showMetadata: parseResult.GetValue(metadata));
            long? next = null;
            await foreach (var e in events)
            {
                if (table.Count == maxCount)
                {
                    next = e.Revision;
                    break;
                }

                table.Add(e);
            }

            if (table.Count == 0)
            {
                var start = fromRevision is { } r ? $" from revision {r}" : string.Empty;
                context.Console.WriteLine($"No events in '{name}'{start}.");
            }
            else
            {
                context.Console.Write(table.Table);
            }

            if (next is { } revision)
            {
                context.Console.WriteLine($"More events follow: add --from {revision}{(isBackward ? " --backward" : string.Empty)} to see them.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
