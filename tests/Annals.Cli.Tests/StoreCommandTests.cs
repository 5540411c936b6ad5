using Annals.Sqlite;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary><c>annals store list|create|delete</c> on a folder of SQLite stores.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Create_makes_a_store_file_that_list_shows_and_delete_removes_it()
    {
        var created = (await RunAsync("create", "tenant_b")).AssertSuccess();
        (await RunAsync("create", "tenant_a")).AssertSuccess();
        var again = (await RunAsync("create", "tenant_a")).AssertSuccess();
        var listed = (await RunAsync("list")).AssertSuccess();

        Assert.Equal($"Created store 'tenant_b' in folder '{_folder.Path}'.", created.Output.Trim());
        Assert.Equal($"Store 'tenant_a' already exists in folder '{_folder.Path}'; it is left as it is.", again.Output.Trim());
        Assert.Equal(["tenant_a", "tenant_b"], Tables.Column(listed.Output, 0));
        Assert.Contains($"2 stores in folder '{_folder.Path}'", listed.Output);
        Assert.True(File.Exists(_folder.File("tenant_a.db")));

        var deleted = (await RunAsync("delete", "tenant_a", "--yes")).AssertSuccess();

        Assert.Equal($"Deleted store 'tenant_a' from folder '{_folder.Path}'.", deleted.Output.Trim());
        Assert.False(File.Exists(_folder.File("tenant_a.db")));
        Assert.Equal(["tenant_b"], Tables.Column((await RunAsync("list")).AssertSuccess().Output, 0));
    }

    [Fact]
    public async Task A_created_store_is_one_the_other_commands_open_with_db()
    {
        (await RunAsync("create", "orders")).AssertSuccess();
        (await Cli.RunAsync("append", "order.1", "--type", "Placed", "--data", "{}", "--db", _folder.File("orders.db"))).AssertSuccess();

        var streams = (await Cli.RunAsync("streams", "--db", _folder.File("orders.db"))).AssertSuccess();

        Assert.Equal(["order.1"], Tables.Column(streams.Output, 0));
    }

    [Fact]
    public async Task List_of_an_empty_folder_says_so_and_passes_over_files_that_are_no_stores()
    {
        await File.WriteAllTextAsync(_folder.File("notes.db"), "not a database, only some words written into a file");

        var result = (await RunAsync("list")).AssertSuccess();

        Assert.Equal($"No stores in folder '{_folder.Path}'.", result.Output.Trim());
    }

    [Fact]
    public async Task Dir_defaults_to_the_current_folder()
    {
        var before = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _folder.Path;
            (await Cli.RunAsync("store", "create", "here")).AssertSuccess();
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }

        Assert.True(File.Exists(_folder.File("here.db")));
    }

    [Fact]
    public async Task Delete_without_yes_is_a_usage_error_that_deletes_nothing()
    {
        (await RunAsync("create", "orders")).AssertSuccess();

        var result = await RunAsync("delete", "orders");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: Deleting store 'orders' removes it and everything it holds, for good; pass --yes to confirm.", result.ErrorLine);
        Assert.True(File.Exists(_folder.File("orders.db")));
    }

    [Fact]
    public async Task Delete_of_a_missing_store_is_a_usage_error()
    {
        var result = await RunAsync("delete", "missing", "--yes");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: No store named 'missing' in folder '{_folder.Path}'; nothing was deleted.", result.ErrorLine);
    }

    [Fact]
    public async Task Delete_of_a_store_another_writer_has_open_is_a_store_error_that_deletes_nothing()
    {
        var path = _folder.File("orders.db");
        await using var owner = await SqliteEventStore.OpenAsync(path);
        await owner.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, EventData.FromText("Placed", "{}"));

        var result = await RunAsync("delete", "orders", "--yes");

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Equal($"error: The store '{path}' is already open for writing by another process or store object; open it read-only to inspect it.", result.ErrorLine);
        Assert.Equal(1, await owner.GetHeadPositionAsync());
    }

    [Theory]
    [InlineData("create", "Orders")]
    [InlineData("create", "../escape")]
    [InlineData("create", "a.b")]
    [InlineData("delete", "a;b", "--yes")]
    [InlineData("delete", "pg_catalog", "--yes")]
    [InlineData("create", "")]
    public async Task An_invalid_name_is_a_usage_error_and_makes_nothing(params string[] command)
    {
        var result = await RunAsync(command);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith($"error: Invalid store name '{command[1]}': ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder.Path));
        Assert.False(File.Exists(Path.Combine(_folder.Path, "..", "escape.db")));
    }

    [Fact]
    public async Task Delete_checks_the_name_before_asking_for_yes()
    {
        var result = await RunAsync("delete", "Bad");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith("error: Invalid store name 'Bad': ", result.ErrorLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_is_a_usage_error_and_is_not_made()
    {
        var missing = _folder.File("missing");

        var result = await Cli.RunAsync("store", "create", "orders", "--dir", missing);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: The folder '{missing}' does not exist; pass --dir with the folder of the stores.", result.ErrorLine);
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("--db", "x.db", "error: --db names one store's file; 'annals store' works on the stores of a folder: pass --dir. See 'annals store list --help'.")]
    [InlineData("--schema", "annals", "error: 'annals store' takes no --schema: a store's name is its schema. See 'annals store list --help'.")]
    public async Task Options_naming_one_store_are_usage_errors(string option, string value, string error)
    {
        var result = await RunAsync("list", option, value);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(error, result.ErrorLine);
    }

    [Fact]
    public async Task Dir_with_postgres_is_a_usage_error()
    {
        var result = await RunAsync("list", "--postgres", "Host=localhost");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: --dir and --postgres cannot be used together: --dir names a folder of SQLite stores, --postgres a PostgreSQL server. See 'annals store list --help'.", result.ErrorLine);
    }

    private Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(["store", .. args, "--dir", _folder.Path]);
}
