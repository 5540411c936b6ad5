using Xunit;

namespace Annals.Cli.Tests;

/// <summary>The options that name the store: --db, or --postgres with --schema, never both.</summary>
public sealed class StoreOptionsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("streams")]
    [InlineData("read", "account.alice")]
    [InlineData("read-all")]
    [InlineData("tail")]
    [InlineData("stats")]
    [InlineData("append", "account.alice", "--type", "Opened", "--data", "{}")]
    [InlineData("demo")]
    public async Task Db_with_postgres_is_a_usage_error_of_one_line_and_touches_neither(params string[] command)
    {
        var db = _folder.File("never.db");
        var schema = PostgresServer.NewSchema();

        var result = await Cli.RunAsync([.. command, "--db", db, "--postgres", PostgresServer.ConnectionString, "--schema", schema]);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal(
            $"error: --db and --postgres cannot be used together: --db names a SQLite file, --postgres a PostgreSQL server. See 'annals {command[0]} --help'.",
            result.ErrorLine);
        Assert.Equal(string.Empty, result.Output);
        Assert.False(File.Exists(db));
        Assert.False(await PostgresServer.SchemaExistsAsync(schema));
    }

    [Fact]
    public async Task Db_before_the_command_with_postgres_after_it_is_the_same_usage_error()
    {
        var result = await Cli.RunAsync("--db", _folder.File("never.db"), "streams", "--postgres", PostgresServer.ConnectionString);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: --db and --postgres cannot be used together: --db names a SQLite file, --postgres a PostgreSQL server. See 'annals streams --help'.", result.ErrorLine);
    }

    [Fact]
    public async Task Schema_without_postgres_is_a_usage_error()
    {
        var result = await Cli.RunAsync("streams", "--schema", "annals");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: --schema needs --postgres: it names a schema on a PostgreSQL server. See 'annals streams --help'.", result.ErrorLine);
    }

    [Fact]
    public async Task A_schema_name_postgres_stores_cannot_have_is_a_usage_error()
    {
        var result = await Cli.RunAsync("streams", "--postgres", PostgresServer.ConnectionString, "--schema", "Bank");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: --schema 'Bank' is invalid: use lowercase letters, digits and '_', starting with a letter or '_', at most 63 characters. See 'annals streams --help'.", result.ErrorLine);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_a_usage_error()
    {
        var result = await Cli.RunAsync("stats", "--postgres", "Hots=db");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.StartsWith("error: --postgres is not a valid connection string: ", result.ErrorLine);
        Assert.EndsWith(" See 'annals stats --help'.", result.ErrorLine);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_store_error_of_one_line()
    {
        var result = await Cli.RunAsync("streams", "--postgres", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=5");

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.StartsWith("error: The PostgreSQL server at 127.0.0.1:1 could not be reached: ", result.ErrorLine);
    }
}
