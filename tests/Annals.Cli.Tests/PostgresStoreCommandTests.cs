using Annals.Postgres;
using Annals.Storage;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary><c>annals store list|create|delete</c> on a PostgreSQL database, one schema per store.</summary>
public sealed class PostgresStoreCommandTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync(_schemas);

    [Fact]
    public async Task Create_makes_a_schema_that_list_shows_and_delete_drops_it()
    {
        var name = NewName();

        var created = (await RunAsync("create", name)).AssertSuccess();
        var again = (await RunAsync("create", name)).AssertSuccess();
        var listed = (await RunAsync("list")).AssertSuccess();

        Assert.Equal($"Created store '{name}' in database {PostgresServer.Display}.", created.Output.Trim());
        Assert.Equal($"Store '{name}' already exists in database {PostgresServer.Display}; it is left as it is.", again.Output.Trim());
        Assert.Contains(name, Tables.Column(listed.Output, 0));
        Assert.True(await PostgresServer.SchemaExistsAsync(name));

        var deleted = (await RunAsync("delete", name, "--yes")).AssertSuccess();

        Assert.Equal($"Deleted store '{name}' from database {PostgresServer.Display}.", deleted.Output.Trim());
        Assert.False(await PostgresServer.SchemaExistsAsync(name));
        Assert.DoesNotContain(name, Tables.Column((await RunAsync("list")).AssertSuccess().Output, 0));
    }

    [Fact]
    public async Task A_created_store_is_one_the_other_commands_open_with_schema()
    {
        var name = NewName();
        (await RunAsync("create", name)).AssertSuccess();
        (await Cli.RunAsync("append", "order.1", "--type", "Placed", "--data", "{}", "--postgres", PostgresServer.ConnectionString, "--schema", name)).AssertSuccess();

        var streams = (await Cli.RunAsync("streams", "--postgres", PostgresServer.ConnectionString, "--schema", name)).AssertSuccess();

        Assert.Equal(["order.1"], Tables.Column(streams.Output, 0));
    }

    [Fact]
    public async Task Delete_without_yes_is_a_usage_error_that_drops_nothing()
    {
        var name = NewName();
        (await RunAsync("create", name)).AssertSuccess();

        var result = await RunAsync("delete", name);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: Deleting store '{name}' removes it and everything it holds, for good; pass --yes to confirm.", result.ErrorLine);
        Assert.True(await PostgresServer.SchemaExistsAsync(name));
    }

    [Fact]
    public async Task Delete_of_a_store_open_in_another_process_is_a_store_error_that_drops_nothing()
    {
        var name = NewName();
        await using var owner = await PostgresEventStore.OpenAsync(new PostgresEventStoreOptions { ConnectionString = PostgresServer.ConnectionString, Schema = name });
        await owner.AppendAsync(StreamName.For("order", "1"), ExpectedRevision.NoStream, EventData.FromText("Placed", "{}"));

        var result = await RunAsync("delete", name, "--yes");

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.StartsWith($"error: The store in schema '{name}' cannot be deleted: it is open elsewhere, by another store object: backend ", result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal(1, await owner.GetHeadPositionAsync());
    }

    [Fact]
    public async Task Delete_of_a_missing_store_is_a_usage_error()
    {
        var name = NewName();

        var result = await RunAsync("delete", name, "--yes");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal($"error: No store named '{name}' in database {PostgresServer.Display}; nothing was deleted.", result.ErrorLine);
    }

    [Fact]
    public async Task An_invalid_name_is_a_usage_error_and_makes_no_schema()
    {
        var result = await RunAsync("create", "public");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith("error: Invalid store name 'public': it is reserved", result.ErrorLine, StringComparison.Ordinal);
    }

    private string NewName()
    {
        var name = PostgresServer.NewSchema();
        _schemas.Add(name);
        return name;
    }

    private static Task<CliResult> RunAsync(params string[] args) => Cli.RunAsync(["store", .. args, "--postgres", PostgresServer.ConnectionString]);
}
