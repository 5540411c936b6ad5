using Annals.Sqlite;

namespace Annals.Cli.Infrastructure;

/// <summary>Opens the store named by <c>--db</c>: read-only for commands that look, for writing for commands that change it.</summary>
internal static class StoreAccess
{
    /// <summary>Opens an existing store without taking its lock, so it works while another process writes to it.</summary>
    public static async Task<SqliteEventStore> OpenForReadingAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new CliInputException($"No store at '{fullPath}': the file does not exist; pass --db with a store's file, or make one with 'annals demo'.");
        }

        return await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = fullPath, ReadOnly = true }, cancellationToken);
    }

    /// <summary>Opens (and creates, if missing) a store for writing; fails when another process owns it.</summary>
    public static async Task<SqliteEventStore> OpenForWritingAsync(string path, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new CliInputException($"'{fullPath}' is a folder; pass --db with a store's file.");
        }

        // Checked here because a missing folder would otherwise surface as a failure to take the store's lock.
        var folder = Path.GetDirectoryName(fullPath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliInputException($"Cannot make a store at '{fullPath}': the folder '{folder}' does not exist.");
        }

        return await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = fullPath }, cancellationToken);
    }
}
