using System.CommandLine;
using Annals.Cli.Demo;
using Annals.Cli.Infrastructure;

namespace Annals.Cli.Commands;

/// <summary><c>annals demo [--reset]</c>: writes a small bank to a new store and says how to look at it.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var reset = new Option<bool>("--reset") { Description = "Replace the store's file if it already exists." };
        var command = new Command("demo", "Write a small bank to a new store, step by step: accounts, deposits, withdrawals and guarded transfers.") { reset };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = context.DatabasePath(parseResult);
            var fullPath = Path.GetFullPath(path);
            if (File.Exists(fullPath))
            {
                if (!parseResult.GetValue(reset))
                {
                    throw new CliInputException($"'{fullPath}' already exists and the demo writes a new store; pass --reset to replace it, or choose another --db.");
                }

                await DeleteStoreAsync(fullPath, cancellationToken);
            }

            await using var store = await StoreAccess.OpenForWritingAsync(path, cancellationToken);
            await new BankDemo(store, context.Console, path).RunAsync(cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task DeleteStoreAsync(string fullPath, CancellationToken cancellationToken)
    {
        // Opened read-only first, so a file that is not an Annals store is refused rather than deleted;
        // then for writing, so a store another process owns is refused rather than pulled from under it.
        await (await StoreAccess.OpenForReadingAsync(fullPath, cancellationToken)).DisposeAsync();
        await (await StoreAccess.OpenForWritingAsync(fullPath, cancellationToken)).DisposeAsync();
        foreach (var file in new[] { fullPath, fullPath + "-wal", fullPath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
