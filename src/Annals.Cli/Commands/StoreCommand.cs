using System.CommandLine;
using Annals.Cli.Infrastructure;
using Annals.Storage.Providers;
using Spectre.Console;

namespace Annals.Cli.Commands;

/// <summary>
/// <c>annals store list|create NAME|delete NAME --yes</c>: the named stores of a folder of SQLite files (<c>--dir</c>)
/// or of a PostgreSQL database (<c>--postgres</c>, one schema each).
/// </summary>
internal static class StoreCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("store", "The named stores of a folder (--dir, one SQLite file <name>.db each), of a PostgreSQL database (--postgres, one schema each) or of a NATS server (--nats, one JetStream stream each).")
        {
            context.StoreFolder,
        };
        command.Add(List(context));
        command.Add(Make(context));
        command.Add(Delete(context));
        command.Validators.Add(context.ValidateStoreSetOptions);
        foreach (var subcommand in command.Subcommands)
        {
            subcommand.Validators.Add(context.ValidateStoreSetOptions);
        }

        return command;
    }

    private static Argument<string> NameArgument() => new("name")
    {
        Description = "The store's name: lowercase letters a-z, digits and '_', starting with a letter, at most 63 characters.",
    };

    private static Command List(CliContext context)
    {
        var command = new Command("list", "List the stores, by name.");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var stores = context.Stores(parseResult);
            var table = new Table().Border(TableBorder.Rounded);
            table.AddColumn("Store");
            var count = 0;
            await foreach (var name in stores.Provider.ListAsync(cancellationToken))
            {
                count++;
                table.AddRow(new Text(name));
            }

            if (count == 0)
            {
                context.Console.WriteLine($"No stores in {stores.Display}.");
                return ExitCodes.Success;
            }

            context.Console.Write(table);
            context.Console.WriteLine(count == 1 ? $"1 store in {stores.Display}" : $"{count} stores in {stores.Display}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Make(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("create", "Create a store, with its schema; a store that exists is left as it is.") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = parseResult.GetRequiredValue(name);
            NameChecks.Store(store);
            await using var stores = context.Stores(parseResult);
            context.Console.WriteLine(await stores.Provider.CreateAsync(store, cancellationToken)
                ? $"Created store '{store}' in {stores.Display}."
                : $"Store '{store}' already exists in {stores.Display}; it is left as it is.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Delete(CliContext context)
    {
        var name = NameArgument();
        var yes = new Option<bool>("--yes", "-y")
        {
            Description = "Confirm the deletion: the store and everything it holds are removed for good. Required; the tool never asks.",
        };
        var command = new Command("delete", "Delete a store and everything it holds, for good; refused while the store is open anywhere. Needs --yes.") { name, yes };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var store = parseResult.GetRequiredValue(name);
            NameChecks.Store(store);

            // No prompt: scripts and CI have no one to answer it, so the confirmation is on the command line.
            if (!parseResult.GetValue(yes))
            {
                throw new CliInputException($"Deleting store '{store}' removes it and everything it holds, for good; pass --yes to confirm.");
            }

            await using var stores = context.Stores(parseResult);
            if (!await stores.Provider.DeleteAsync(store, cancellationToken))
            {
                throw new CliInputException($"No store named '{store}' in {stores.Display}; nothing was deleted.");
            }

            context.Console.WriteLine($"Deleted store '{store}' from {stores.Display}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
