using Annals.Cli.Rendering;
using Annals.Sqlite;
using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>A store in a SQLite file, named by <c>--db</c>: looked at read-only, written by one owner.</summary>
internal sealed class SqliteTarget(string path) : StoreTarget
{
    private readonly string _fullPath = Path.GetFullPath(path);

    public override string Display => _fullPath;

    public override string CommandLine => "--db " + ShellText.Quote(path);

    public override string SizeLabel => "File size";

    /// <summary>Opens an existing store without taking its lock, so it works while another process writes to it.</summary>
    public override async Task<IEventStore> OpenForReadingAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_fullPath))
        {
            throw new CliInputException($"No store at '{_fullPath}': the file does not exist; pass --db with a store's file, or make one with 'annals demo'.");
        }

        return await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = _fullPath, ReadOnly = true }, cancellationToken);
    }

    /// <summary>Opens (and creates, if missing) a store for writing; fails when another process owns it.</summary>
    public override async Task<IEventStore> OpenForWritingAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(_fullPath))
        {
            throw new CliInputException($"'{_fullPath}' is a folder; pass --db with a store's file.");
        }

        // Checked here because a missing folder would otherwise surface as a failure to take the store's lock.
        var folder = Path.GetDirectoryName(_fullPath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new CliInputException($"Cannot make a store at '{_fullPath}': the folder '{folder}' does not exist.");
        }

        return await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = _fullPath }, cancellationToken);
    }

    public override async Task ClearForNewStoreAsync(bool reset, CancellationToken cancellationToken)
    {
        if (!File.Exists(_fullPath))
        {
            return;
        }

        if (!reset)
        {
            throw new CliInputException($"'{_fullPath}' already exists and the demo writes a new store; pass --reset to replace it, or choose another --db.");
        }

        // Opened read-only first, so a file that is not an Annals store is refused rather than deleted;
        // then for writing, so a store another process owns is refused rather than pulled from under it.
        await (await OpenForReadingAsync(cancellationToken)).DisposeAsync();
        await (await OpenForWritingAsync(cancellationToken)).DisposeAsync();
        foreach (var file in new[] { _fullPath, _fullPath + "-wal", _fullPath + "-shm" })
        {
            File.Delete(file);
        }
    }
}
