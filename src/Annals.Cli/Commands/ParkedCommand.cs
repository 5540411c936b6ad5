using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Processes;
using Annals.Projections;
using Annals.Storage;
using Annals.Storage.Providers;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary>
/// <c>annals parked list|replay NAME</c>: the events a projection has parked, or, for <c>process:&lt;name&gt;</c>, the commands
/// and timeouts a process has parked; and requests to replay them.
/// </summary>
internal static class ParkedCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("parked", "The events a projection could not handle and parked, or (for process:<name>) the commands and timeouts a process parked.");
        command.Add(List(context));
        command.Add(Replay(context));
        return command;
    }

    private static Argument<string> ProjectionArgument() => new("projection") { Description = "The projection's name, or process:<name> for a process's parked commands and timeouts." };

    private const string ProcessPrefix = "process:";

    private static Command List(CliContext context)
    {
        var projection = ProjectionArgument();
        var command = new Command("list", "List a projection's parked events: position, stream, type, when, failed replays, error.") { projection };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = Checked(parseResult.GetValue(projection)!);
            await using var store = await context.Target(parseResult).OpenForReadingAsync(cancellationToken);
            if (name.StartsWith(ProcessPrefix, StringComparison.Ordinal))
            {
                return await ListProcessAsync(context, store, name[ProcessPrefix.Length..], cancellationToken);
            }

            var parked = await ParkedEvents.ListAsync(store, name, cancellationToken);
            if (parked.Count == 0)
            {
                context.Console.WriteLine($"No parked events for projection '{name}'.");
                return ExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn(new TableColumn("Position").RightAligned());
            table.AddColumn("Stream");
            table.AddColumn(new TableColumn("Revision").RightAligned());
            table.AddColumn("Type");
            table.AddColumn("Parked at");
            table.AddColumn(new TableColumn("Failed replays").RightAligned());
            table.AddColumn("Replay");
            table.AddColumn("Error");
            table.AddColumn("Event id");
            foreach (var p in parked.OrderBy(p => p.Position))
            {
                table.AddRow(
                    new Text(EventText.Number(p.Position)),
                    new Text(p.Stream.Value),
                    new Text(EventText.Number(p.Revision)),
                    new Text(p.Type),
                    new Text(EventText.Timestamp(p.ParkedAt)),
                    new Text(EventText.Number(p.Failures)),
                    new Text(p.ReplayRequested ? "requested" : string.Empty),
                    new Text(p.Error ?? string.Empty),
                    new Text(p.EventId.ToString()));
            }

            context.Console.Write(table);
            context.Console.WriteLine(parked.Count == 1 ? "1 parked event" : $"{parked.Count} parked events");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Replay(CliContext context)
    {
        var projection = ProjectionArgument();
        var eventId = new Option<Guid?>("--event") { Description = "Only the parked event with this id.", HelpName = "id" };
        var command = new Command(
            "replay",
            "Request the replay of a projection's parked events: its running owner hands each to the handler again within its parked-check interval, removing those it handles. On SQLite, the file must not be open by the application; the replay then happens when it starts.")
        {
            projection,
            eventId,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = Checked(parseResult.GetValue(projection)!);
            await using var store = await context.Target(parseResult).OpenForWritingAsync(cancellationToken);
            if (name.StartsWith(ProcessPrefix, StringComparison.Ordinal))
            {
                var process = name[ProcessPrefix.Length..];
                var replayed = await ParkedProcessMessages.ReplayAsync(store, process, parseResult.GetValue(eventId), cancellationToken: cancellationToken);
                context.Console.WriteLine(replayed switch
                {
                    0 => $"No parked commands or timeouts to replay for process '{process}'.",
                    1 => $"1 parked message of process '{process}' is due again.",
                    _ => $"{replayed} parked messages of process '{process}' are due again.",
                });
                return ExitCodes.Success;
            }

            var requested = await ParkedEvents.RequestReplayAsync(store, name, parseResult.GetValue(eventId), cancellationToken: cancellationToken);
            context.Console.WriteLine(requested switch
            {
                0 => $"No parked events to replay for projection '{name}'.",
                1 => $"Replay requested for 1 parked event of projection '{name}'.",
                _ => $"Replay requested for {requested} parked events of projection '{name}'.",
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<int> ListProcessAsync(CliContext context, IEventStore store, string process, CancellationToken cancellationToken)
    {
        var parked = await ParkedProcessMessages.ListAsync(store, process, cancellationToken);
        if (parked.Count == 0)
        {
            context.Console.WriteLine($"No parked commands or timeouts for process '{process}'.");
            return ExitCodes.Success;
        }

        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("Kind");
        table.AddColumn("Instance");
        table.AddColumn("Type");
        table.AddColumn("Target or timeout");
        table.AddColumn(new TableColumn("Failures").RightAligned());
        table.AddColumn("Stored at");
        table.AddColumn("Error");
        table.AddColumn("Message id");
        foreach (var p in parked)
        {
            table.AddRow(
                new Text(p.Kind == ProcessMessageKind.Command ? "command" : "timeout"),
                new Text(p.Instance),
                new Text(p.Type),
                new Text(p.Target ?? p.Timeout ?? string.Empty),
                new Text(EventText.Number(p.Failures)),
                new Text(EventText.Timestamp(p.EnqueuedAt)),
                new Text(p.Error ?? string.Empty),
                new Text(p.MessageId.ToString()));
        }

        context.Console.Write(table);
        context.Console.WriteLine(parked.Count == 1 ? "1 parked message" : $"{parked.Count} parked messages");
        return ExitCodes.Success;
    }

    private static string Checked(string projection)
    {
        NameChecks.Consumer(projection);
        return projection;
    }
}
