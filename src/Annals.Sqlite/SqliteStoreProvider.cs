using System.Runtime.CompilerServices;
using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Sqlite;

/// <summary>
/// Named stores in one folder: the store <c>name</c> is the SQLite file <c>&lt;folder&gt;/name.db</c>, with its
/// <c>-wal</c>, <c>-shm</c> and <c>.lock</c> files beside it.
/// </summary>
/// <remarks>
/// <para>
/// A SQLite file has one writer: the store object that holds its lock, in one process. So every open through this
/// provider is exclusive, whatever <see cref="StoreOpenOptions.Exclusive"/> says: while a store is open, every other
/// open of it, in this process or another, fails with <see cref="StoreLockedException"/> until it is disposed. To look
/// at a store another process writes, open its file read-only with <see cref="SqliteEventStore.OpenAsync(SqliteEventStoreOptions, CancellationToken)"/>.
/// </para>
/// <para>
/// Only files that hold an Annals store count: <see cref="ListAsync"/> and <see cref="ExistsAsync"/> pass over other
/// <c>.db</c> files, and a name whose file holds another database is neither made into a store nor deleted
/// (<see cref="AnnalsException"/>). Deleting a store takes its lock first, so an open store is never deleted; the
/// empty <c>.lock</c> file stays, since removing it would let two openers lock two different files of one name.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var stores = new SqliteStoreProvider("/var/lib/app/stores");
/// await using var tenant = await stores.OpenAsync("tenant_42");
/// </code>
/// </example>
public sealed class SqliteStoreProvider : IEventStoreProvider
{
    private const string Extension = ".db";
    private readonly SqliteEventStoreOptions _template;

    /// <summary>Makes a provider of the stores in a folder. Nothing is read or made until a method is called.</summary>
    /// <param name="folder">The folder of the stores' files; it must exist when a store is made.</param>
    /// <param name="template">
    /// The options every store is opened with (durability, limits, clock); the defaults when <see langword="null"/>.
    /// Its <see cref="SqliteEventStoreOptions.Path"/> is not used: each store's file is named after the store.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="folder"/> is empty, or an option of <paramref name="template"/> is invalid or read-only; the message names it.</exception>
    public SqliteStoreProvider(string folder, SqliteEventStoreOptions? template = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        template ??= new SqliteEventStoreOptions();
        template.Validate();
        if (template.ReadOnly)
        {
            throw new ArgumentException("SqliteEventStoreOptions.ReadOnly cannot be set on a provider's template: a provider opens its stores for writing.", nameof(template));
        }

        Folder = Path.GetFullPath(folder);
        _template = template;
    }

    /// <summary>The full path of the folder of the stores.</summary>
    public string Folder { get; }

    /// <summary>The full path of the file of a store, whether it exists or not.</summary>
    /// <param name="name">The store's name.</param>
    /// <returns><c>&lt;folder&gt;/name.db</c>.</returns>
    /// <exception cref="InvalidNameException">The name is malformed.</exception>
    public string GetPath(string name)
    {
        NameChecks.Store(name);
        return Path.Combine(Folder, name + Extension);
    }

    /// <inheritdoc />
    /// <exception cref="StoreNotFoundException">The folder does not exist.</exception>
    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Folder))
        {
            throw new StoreNotFoundException(Folder, $"Cannot list the stores in '{Folder}': the folder does not exist.");
        }

        var names = Directory.EnumerateFiles(Folder, "*" + Extension)
            .Select(Path.GetFileName)
            .Where(file => file!.EndsWith(Extension, StringComparison.Ordinal))
            .Select(file => file![..^Extension.Length])
            .Where(name => NameChecks.CheckStore(name) is null)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in names)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Inspect(Path.Combine(Folder, name + Extension)) == SqliteFileKind.Store)
            {
                yield return name;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> ExistsAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = GetPath(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Inspect(path) == SqliteFileKind.Store);
    }

    /// <inheritdoc />
    /// <exception cref="StoreNotFoundException">The folder does not exist.</exception>
    /// <exception cref="AnnalsException">The store's file holds another database, which is left as it is.</exception>
    public async ValueTask<bool> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = GetPath(name);
        cancellationToken.ThrowIfCancellationRequested();
        if (Inspect(path) == SqliteFileKind.Store)
        {
            return false;
        }

        var lockFile = SqliteFileLock.Take(path);
        switch (InspectUnder(lockFile, path))
        {
            case SqliteFileKind.Store:
                // Made by another opener between the look and the lock.
                await lockFile.DisposeAsync().ConfigureAwait(false);
                return false;
            case SqliteFileKind.Foreign:
                await lockFile.DisposeAsync().ConfigureAwait(false);
                throw Foreign(path);
            default:
                await SqliteEventStore.OpenForWriting(_template, path, lockFile).DisposeAsync().ConfigureAwait(false);
                return true;
        }
    }

    /// <inheritdoc />
    /// <remarks>Every open is exclusive on SQLite: see the remarks of <see cref="SqliteStoreProvider"/>.</remarks>
    /// <exception cref="AnnalsException">The store's file holds another database.</exception>
    public async ValueTask<IEventStore> OpenAsync(string name, StoreOpenOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = GetPath(name);
        options ??= new StoreOpenOptions();
        cancellationToken.ThrowIfCancellationRequested();

        // The lock comes first, so that the store cannot be deleted or made between the look and the open.
        var lockFile = SqliteFileLock.Take(path);
        switch (InspectUnder(lockFile, path))
        {
            case SqliteFileKind.Foreign:
                await lockFile.DisposeAsync().ConfigureAwait(false);
                throw Foreign(path);
            case SqliteFileKind.Missing or SqliteFileKind.Empty when !options.CreateIfMissing:
                await lockFile.DisposeAsync().ConfigureAwait(false);
                throw new StoreNotFoundException(path, $"No store named '{name}' in '{Folder}': the file '{path}' does not exist or holds no store.");
            default:
                return SqliteEventStore.OpenForWriting(_template, path, lockFile);
        }
    }

    /// <inheritdoc />
    /// <remarks>Removes the store's file and its <c>-wal</c> and <c>-shm</c> files, under the store's lock.</remarks>
    /// <exception cref="AnnalsException">The store's file holds another database, which is left as it is.</exception>
    public async ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = GetPath(name);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            return false;
        }

        await using var lockFile = SqliteFileLock.Take(path);
        switch (InspectUnder(lockFile, path))
        {
            case SqliteFileKind.Missing:
                return false;
            case SqliteFileKind.Foreign:
                throw Foreign(path);
            default:
                try
                {
                    // The database last: a crash part-way leaves at worst a store without its journal, never a journal
                    // that a new store of the same name would replay.
                    File.Delete(path + "-wal");
                    File.Delete(path + "-shm");
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new StoreUnavailableException($"Cannot delete the store '{path}': {e.Message}", e);
                }

                return true;
        }
    }

    /// <summary>Holds nothing: every store holds its own file and lock.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static SqliteFileKind Inspect(string path)
    {
        try
        {
            return SqliteSchema.Inspect(path);
        }
        catch (Exception e) when (e is not AnnalsException)
        {
            throw SqliteErrors.Translate(e, path);
        }
    }

    /// <summary>Inspects a file under its lock, and releases the lock if that fails.</summary>
    private static SqliteFileKind InspectUnder(FileStream lockFile, string path)
    {
        try
        {
            return Inspect(path);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static AnnalsException Foreign(string path) =>
        new($"The file '{path}' is not an Annals store: it holds another database, or is not a SQLite file; it is left as it is.");
}
