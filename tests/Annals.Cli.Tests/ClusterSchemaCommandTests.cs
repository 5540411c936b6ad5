using Npgsql;
using Xunit;

namespace Annals.Cli.Tests;

/// <summary><c>annals cluster schema --postgres</c>: Orleans' clustering tables, created once, in the connection's search path.</summary>
public sealed class ClusterSchemaCommandTests : IAsyncLifetime
{
    private readonly List<string> _schemas = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync(_schemas);

    [Fact]
    public async Task It_creates_the_tables_in_the_search_path_and_says_so_then_finds_them_and_leaves_them()
    {
        var schema = await NewSchemaAsync();
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { SearchPath = schema }.ConnectionString;

        var created = (await Cli.RunAsync("cluster", "schema", "--postgres", connectionString)).AssertSuccess();
        var again = (await Cli.RunAsync("cluster", "schema", "--postgres", connectionString)).AssertSuccess();

        Assert.Equal($"Created Orleans' clustering tables in schema '{schema}' of database {PostgresServer.Display} (PostgreSQL-Main.sql, PostgreSQL-Clustering.sql).", created.Output.Trim());
        Assert.Equal($"Orleans' clustering tables are already in schema '{schema}' of database {PostgresServer.Display}; they are left as they are.", again.Output.Trim());
        Assert.Equal(["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery"], await TablesAsync(schema));
    }

    [Fact]
    public async Task Without_postgres_it_is_a_usage_error()
    {
        var result = await Cli.RunAsync("cluster", "schema");

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Equal("error: 'annals cluster schema' needs --postgres: the connection string of the database the silos cluster on. See 'annals cluster schema --help'.", result.ErrorLine);
    }

    [Theory]
    [InlineData("--schema", "orleans", "takes no --schema")]
    [InlineData("--db", "cluster.db", "works on a PostgreSQL database only")]
    public async Task Options_that_name_a_store_are_a_usage_error(string option, string value, string message)
    {
        var result = await Cli.RunAsync("cluster", "schema", "--postgres", PostgresServer.ConnectionString, option, value);

        Assert.Equal(ExitCodes.UsageError, result.ExitCode);
        Assert.Contains(message, result.ErrorLine, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task A_search_path_naming_no_schema_that_exists_is_a_store_error_that_says_so()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { SearchPath = PostgresServer.NewSchema() + "_missing" }.ConnectionString;

        var result = await Cli.RunAsync("cluster", "schema", "--postgres", connectionString);

        Assert.Equal(ExitCodes.StoreError, result.ExitCode);
        Assert.Contains("no schema of the connection's search path exists", result.ErrorLine, StringComparison.Ordinal);
    }

    private async Task<string> NewSchemaAsync()
    {
        var schema = PostgresServer.NewSchema();
        _schemas.Add(schema);
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await create.ExecuteNonQueryAsync();
        return schema;
    }

    private static async Task<List<string>> TablesAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
        await using var reader = await command.ExecuteReaderAsync();
        var tables = new List<string>();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }
}
