using Annals.Sqlite;
using Annals.Storage;
using Annals.Testing;

namespace Annals.Sqlite.Tests;

/// <summary>
/// Makes providers over one folder deleted at the end. A peer is a second provider over the same folder: it takes the
/// stores' locks through handles of its own, as another process would.
/// </summary>
public sealed class SqliteStoreProviderFixture : IStoreProviderFixture, IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("annals-stores-").FullName;

    // A SQLite file has one writer: every open is exclusive.
    public bool SharedOpensCoexist => false;

    public Task<IEventStoreProvider> CreateProviderAsync() => Task.FromResult<IEventStoreProvider>(new SqliteStoreProvider(Folder));

    public Task<IEventStoreProvider> CreatePeerAsync(IEventStoreProvider provider) =>
        Task.FromResult<IEventStoreProvider>(new SqliteStoreProvider(((SqliteStoreProvider)provider).Folder));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a failed test; the OS cleans the temp folder.
        }
    }
}
