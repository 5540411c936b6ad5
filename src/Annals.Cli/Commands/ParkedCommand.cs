using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Cli.Rendering;
using Annals.Projections;
using Annals.Storage.Providers;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals parked list|replay PROJECTION</c>: the events a projection has parked, and requests to replay them.</summary>
internal static class ParkedCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("parked", "The events a projection could not handle and parked.");
        command.Add(List(context));
        command.Add(Replay(context));
        return command;
    }

    private static Argument<string> ProjectionArgument() => new("projection") { Description = "The projection's name." };

    private static Command List(CliContext context)
    {
        var projection = ProjectionArgument();
        var command = new Command("list", "List a projection's parked events: position, stream, type, when, failed replays, error.") { projection };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var name = Checked(parseResult.GetValue(projection)!);
            await using var store = await context.Target(parseResult).OpenForReadingAsync(cancellationToken);
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

    private static string Checked(string projection)
    {
        NameChecks.Consumer(projection);
        return projection;
    }
}
