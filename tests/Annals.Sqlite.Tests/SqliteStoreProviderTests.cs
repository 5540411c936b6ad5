using Annals.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Annals.Sqlite.Tests;

/// <summary>What only the SQLite provider has: files named after stores, other files left alone, the journal deleted with the store.</summary>
public sealed class SqliteStoreProviderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("annals-provider-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a failed test; the OS cleans the temp folder.
        }
    }

    [Fact]
    public async Task A_store_is_the_file_named_after_it_in_the_folder()
    {
        await using var stores = new SqliteStoreProvider(_folder);

        await using var store = await stores.OpenAsync("orders");

        var file = Assert.IsType<SqliteEventStore>(store).Path;
        Assert.Equal(Path.Combine(_folder, "orders.db"), file);
        Assert.Equal(file, stores.GetPath("orders"));
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task Other_files_are_not_listed_and_are_left_alone()
    {
        await using var stores = new SqliteStoreProvider(_folder);
        await stores.CreateAsync("orders");
        MakeForeignDatabase("foreign.db");
        await File.WriteAllTextAsync(Path.Combine(_folder, "text.db"), "not a database at all, just some text to fill a page or two");
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "x");
        File.Copy(Path.Combine(_folder, "orders.db"), Path.Combine(_folder, "Upper.db"));
        File.Copy(Path.Combine(_folder, "orders.db"), Path.Combine(_folder, "orders.db.bak"));

        Assert.Equal(["orders"], await stores.ListAsync().ToListAsync());
        foreach (var name in new[] { "foreign", "text" })
        {
            Assert.False(await stores.ExistsAsync(name));
            await Assert.ThrowsAsync<AnnalsException>(async () => await stores.CreateAsync(name));
            await Assert.ThrowsAsync<AnnalsException>(async () => await stores.OpenAsync(name));
            await Assert.ThrowsAsync<AnnalsException>(async () => await stores.DeleteAsync(name));
            Assert.True(File.Exists(Path.Combine(_folder, name + ".db")));
        }

        Assert.Equal(1, ReadForeignRows("foreign.db"));
    }

    [Fact]
    public async Task An_empty_file_left_by_a_creation_that_crashed_is_made_into_a_store()
    {
        await using var stores = new SqliteStoreProvider(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, "orders.db"), []);

        Assert.False(await stores.ExistsAsync("orders"));
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync("orders", new StoreOpenOptions { CreateIfMissing = false }));
        Assert.True(await stores.CreateAsync("orders"));
        Assert.True(await stores.ExistsAsync("orders"));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_its_journal()
    {
        await using var stores = new SqliteStoreProvider(_folder);
        await using (var store = await stores.OpenAsync("orders"))
        {
            await store.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, EventData.FromText("Placed", "{}"));
        }

        // A reader leaves the journal's files behind, as a crashed writer would.
        await using (var reader = await SqliteEventStore.OpenAsync(new SqliteEventStoreOptions { Path = stores.GetPath("orders"), ReadOnly = true }))
        {
            Assert.Equal(1, await reader.GetHeadPositionAsync());
        }

        Assert.True(await stores.DeleteAsync("orders"));

        Assert.Equal([stores.GetPath("orders") + ".lock"], Directory.EnumerateFiles(_folder));
        Assert.Empty(await stores.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task A_missing_folder_is_reported_and_not_made()
    {
        var missing = Path.Combine(_folder, "missing");
        await using var stores = new SqliteStoreProvider(missing);

        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.ListAsync().ToListAsync());
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.CreateAsync("orders"));
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await stores.OpenAsync("orders"));
        Assert.False(await stores.ExistsAsync("orders"));
        Assert.False(await stores.DeleteAsync("orders"));
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void A_read_only_template_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqliteStoreProvider(_folder, new SqliteEventStoreOptions { ReadOnly = true }));

        Assert.Contains("ReadOnly", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_opened_directly_on_its_file_holds_it_against_the_provider()
    {
        await using var stores = new SqliteStoreProvider(_folder);
        await using var direct = await SqliteEventStore.OpenAsync(stores.GetPath("orders"));

        await Assert.ThrowsAsync<StoreLockedException>(async () => await stores.OpenAsync("orders"));
        await Assert.ThrowsAsync<StoreLockedException>(async () => await stores.DeleteAsync("orders"));
        Assert.True(await stores.ExistsAsync("orders"));
    }

    private void MakeForeignDatabase(string file)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, file)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('Ada');";
        command.ExecuteNonQuery();
    }

    private long ReadForeignRows(string file)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, file)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM customers;";
        return (long)command.ExecuteScalar()!;
    }
}
