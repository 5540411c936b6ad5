using System.Reflection;
using Annals.Orleans.Postgres;
using Npgsql;
using Orleans.Configuration;
using Xunit;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>Orleans' clustering tables, created from the scripts this repository carries, once, and left alone after.</summary>
public sealed class OrleansPostgresSchemaTests
{
    private static readonly string[] Tables = ["orleansmembershiptable", "orleansmembershipversiontable", "orleansquery"];

    [Fact]
    public async Task The_tables_are_created_once_with_every_query_Orleans_asks_for_and_left_as_they_are_after()
    {
        var connectionString = await ClusteringSchema.CreateAsync();
        var schema = ClusteringSchema.SchemaOf(connectionString);

        var first = await OrleansPostgresSchema.EnsureCreatedAsync(connectionString);
        var again = await OrleansPostgresSchema.EnsureCreatedAsync(connectionString);

        Assert.True(first.Created);
        Assert.Equal(schema, first.Schema);
        Assert.Equal(["PostgreSQL-Main.sql", "PostgreSQL-Clustering.sql"], first.AppliedScripts);
        Assert.False(again.Created);
        Assert.Equal(schema, again.Schema);
        Assert.Empty(again.AppliedScripts);
        Assert.Equal(Tables, await TablesAsync(schema));
        Assert.Empty(RequiredQueries().Except(await QueryKeysAsync(connectionString)));
    }

    [Fact]
    public async Task Processes_that_set_up_one_database_at_once_create_the_tables_once_and_none_fails()
    {
        var connectionString = await ClusteringSchema.CreateAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => OrleansPostgresSchema.EnsureCreatedAsync(connectionString))));

        Assert.Single(outcomes, o => o.Created);
        Assert.All(outcomes, o => Assert.Equal(ClusteringSchema.SchemaOf(connectionString), o.Schema));
        Assert.Equal(Tables, await TablesAsync(ClusteringSchema.SchemaOf(connectionString)));
    }

    [Fact]
    public async Task Only_the_missing_script_runs_where_Orleans_query_table_is_there_already()
    {
        var connectionString = await ClusteringSchema.CreateAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var main = new NpgsqlCommand(OrleansScript.Clustering[0].Read(), connection);
            await main.ExecuteNonQueryAsync();
        }

        var outcome = await OrleansPostgresSchema.EnsureCreatedAsync(connectionString);

        Assert.Equal(["PostgreSQL-Clustering.sql"], outcome.AppliedScripts);
        Assert.Equal(Tables, await TablesAsync(ClusteringSchema.SchemaOf(connectionString)));
    }

    [Fact]
    public async Task A_search_path_naming_no_schema_that_exists_is_refused_with_a_message_that_says_so()
    {
        var connectionString = ClusteringSchema.ConnectionString(PostgresServer.NewSchema() + "_missing");

        var error = await Assert.ThrowsAsync<AnnalsException>(() => OrleansPostgresSchema.EnsureCreatedAsync(connectionString));

        Assert.Contains("no schema of the connection's search path exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_a_store_unavailable_error()
    {
        var port = FreePorts.Take(1)[0];
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Port = port, Timeout = 5 }.ConnectionString;

        var error = await Assert.ThrowsAsync<Annals.Storage.StoreUnavailableException>(() => OrleansPostgresSchema.EnsureCreatedAsync(connectionString));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The query keys the provider of the Orleans version in use refuses to start without: the properties of its
    /// internal DbStoredQueries, which it checks against OrleansQuery when a silo or client starts.
    /// </summary>
    private static IEnumerable<string> RequiredQueries()
    {
        var stored = typeof(AdoNetClusteringSiloOptions).Assembly.GetType("Orleans.Clustering.AdoNet.Storage.DbStoredQueries", throwOnError: true)!;
        var keys = stored.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic).Select(p => p.Name).ToList();
        Assert.Contains("MembershipReadAllKey", keys);
        return keys;
    }

    private static async Task<List<string>> QueryKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
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
