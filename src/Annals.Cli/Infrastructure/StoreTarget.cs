using Annals.Storage;

namespace Annals.Cli.Infrastructure;

/// <summary>The store a command works on, as named on the command line: a SQLite file (<c>--db</c>) or a PostgreSQL schema (<c>--postgres</c>, <c>--schema</c>).</summary>
internal abstract class StoreTarget
{
    /// <summary>Where the store is, for people: a file's full path, or a schema and its server.</summary>
    public abstract string Display { get; }

    /// <summary>The options that name this store again, ready to paste into a shell.</summary>
    public abstract string CommandLine { get; }

    /// <summary>Opens an existing store to look at it; fails with a usage error when there is none.</summary>
    public abstract Task<IEventStore> OpenForReadingAsync(CancellationToken cancellationToken);

    /// <summary>Opens the store to change it, creating it when it does not exist yet.</summary>
    public abstract Task<IEventStore> OpenForWritingAsync(CancellationToken cancellationToken);

    /// <summary>Makes room for a new store: refuses an existing one unless <paramref name="reset"/>, then removes it.</summary>
    public abstract Task ClearForNewStoreAsync(bool reset, CancellationToken cancellationToken);

    /// <summary>What the size in the store's catalogue measures, for people: <c>File size</c> or <c>Schema size</c>.</summary>
    public abstract string SizeLabel { get; }
}
