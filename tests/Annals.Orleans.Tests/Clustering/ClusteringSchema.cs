using Npgsql;

namespace Annals.Orleans.Tests.Clustering;

/// <summary>A fresh, empty schema for Orleans' clustering tables, named by the search path of the connection string returned.</summary>
public static class ClusteringSchema
{
    public static async Task<string> CreateAsync()
    {
        var schema = PostgresServer.NewSchema() + "_orleans";
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(schema);
    }

    /// <summary>The test server's connection string, with a search path of this schema alone.</summary>
    public static string ConnectionString(string schema) =>
        new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { SearchPath = schema }.ConnectionString;

    public static string SchemaOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).SearchPath!;
}
