using Annals.Sqlite;
using Annals.Storage;
using Annals.Testing;

namespace Annals.Sqlite.Tests;

/// <summary>Makes each conformance test a store on a new file in a folder deleted at the end.</summary>
public sealed class SqliteFixture : IEventStoreFixture, IDisposable
{
    private int _count;

    public string Folder { get; } = Directory.CreateTempSubdirectory("annals-sqlite-").FullName;

    public async Task<IEventStore> CreateStoreAsync() =>
        await SqliteEventStore.OpenAsync(NewPath()).ConfigureAwait(false);

    public string NewPath() => Path.Combine(Folder, $"store-{Interlocked.Increment(ref _count)}.db");

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
