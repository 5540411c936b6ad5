using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Storage;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary><c>annals append &lt;stream&gt; --type T --data JSON [--expect …]</c>: appends one event.</summary>
internal static class AppendCommand
{
    public static Command Create(CliContext context)
    {
        var stream = new Argument<string>("stream") { Description = "The stream, category.id, e.g. account.alice." };
        var type = new Option<string>("--type", "-t")
        {
            Description = "The event's type, e.g. Deposited.",
            HelpName = "type",
            Required = true,
        };
        var data = new Option<string>("--data", "-d")
        {
            Description = "The event's data, as JSON, e.g. '{\"amount\":5}'.",
            HelpName = "json",
            Required = true,
        };
        var expect = new Option<ExpectedRevision>("--expect", "-e")
        {
            Description = $"What the stream must be before the append: {ExpectedRevisionText.Choices} (the revision of its last event).",
            HelpName = "any|no-stream|exists|N",
            DefaultValueFactory = _ => ExpectedRevision.Any,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? "any" : result.Tokens[0].Value;
                if (ExpectedRevisionText.TryParse(text, out var expected))
                {
                    return expected;
                }

                result.AddError($"--expect must be {ExpectedRevisionText.Choices}, not '{text}'.");
                return ExpectedRevision.Any;
            },
        };
        var command = new Command("append", "Append one event to a stream, and show its revision and position.") { stream, type, data, expect };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Everything is checked before the store is opened.
            var name = StreamName.Parse(parseResult.GetRequiredValue(stream));
            var json = parseResult.GetRequiredValue(data);
            JsonText.Validate(json, "--data");
            var @event = EventData.FromText(parseResult.GetRequiredValue(type), json);

            await using var store = await context.Target(parseResult).OpenForWritingAsync(cancellationToken);
            var result = await store.AppendAsync(name, parseResult.GetValue(expect), @event, cancellationToken);
            context.Console.WriteLine($"Appended {@event.Type} to {name} at revision {result.LastRevision}, position {result.LastPosition}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
