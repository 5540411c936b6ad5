using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals tail [--filter PATTERNS] [--from POSITION]</c>: follows the log live until Ctrl+C.</summary>
internal static class TailCommand
{
    public static Command Create(CliContext context)
    {
        var filter = CommonOptions.Filter();
        var from = CommonOptions.NonNegative(new Option<long?>("--from")
        {
            Description = "Start after this position; 0 replays the whole log first [default: the current head, so only new events].",
            HelpName = "position",
        });
        var metadata = CommonOptions.Metadata();
        var command = new Command("tail", "Follow the log live, one line per event, until Ctrl+C. Works while another process writes to the store.")
        {
            filter, from, metadata,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var eventFilter = CommonOptions.ParseFilter(parseResult.GetValue(filter));
            var showMetadata = parseResult.GetValue(metadata);

            // Read-only: a SQLite store's owner keeps writing and new events are found by polling;
            // on PostgreSQL every commit, from any process, wakes the subscription through LISTEN/NOTIFY.
            var target = context.Target(parseResult);
            await using var store = await target.OpenForReadingAsync(cancellationToken);
            var afterPosition = parseResult.GetValue(from) ?? await store.GetHeadPositionAsync(cancellationToken);
            var matching = eventFilter is null ? string.Empty : $" matching '{eventFilter}'";
            context.Console.MarkupLine(Markup.Escape($"Following {target.Display}: events{matching} after position {afterPosition}. Press Ctrl+C to stop."));
            try
            {
                await foreach (var e in store.SubscribeAsync(afterPosition, eventFilter, cancellationToken))
                {
                    context.Console.MarkupLine(EventText.LineMarkup(e, showMetadata));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how tail ends.
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
