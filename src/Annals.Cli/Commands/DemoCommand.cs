using System.CommandLine;
using Annals.Cli.Demo;
using Annals.Cli.Infrastructure;

namespace Annals.Cli.Commands;

/// <summary><c>annals demo [--reset]</c>: writes a small bank, kept by deciders, to a new store and says how to look at it.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var reset = new Option<bool>("--reset") { Description = "Replace the store if it already exists (its file, or its PostgreSQL schema, which is dropped)." };
        var command = new Command("demo", "Write a small bank to a new store, step by step, on deciders: typed events with their commands' ids, a lost race decided again, rejected commands, an e-mail rule across accounts, a snapshot and a live read model.") { reset };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = context.Target(parseResult);
            if (target is NatsTarget)
            {
                // Checked before anything is cleared or written: the demo's transfer workflow cannot run there.
                throw new CliInputException("The demo runs a transfer workflow, a process manager, which needs a store that commits state, commands and checkpoint in one batch; a NATS store commits them apart. Run the demo on SQLite (--db) or PostgreSQL (--postgres).");
            }

            await target.ClearForNewStoreAsync(parseResult.GetValue(reset), cancellationToken);
            await using var store = await target.OpenForWritingAsync(cancellationToken);
            await new BankDemo(store, context.Console, target).RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
