using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Annals.Bench.Data;

/// <summary>
/// Where a run's rows live: the SQLite file given with --db or a fresh temporary one (deleted
/// afterwards), or a PostgreSQL schema: the one given with --schema, or a fresh
/// <c>bench_&lt;random&gt;</c> one, dropped afterwards unless --keep; or a NATS store, named and kept or
/// dropped the same way.
/// </summary>
internal sealed partial class BenchDatabase : IDisposable
{
    private readonly string? _temporaryDirectory;
    private readonly bool _dropSchema;

    private BenchDatabase(string path, string? temporaryDirectory, string description, string? connectionString = null, string? schema = null, bool dropSchema = false, string? natsUrl = null)
    {
        NatsUrl = natsUrl ?? string.Empty;
        Path = path;
        _temporaryDirectory = temporaryDirectory;
        Description = description;
        ConnectionString = connectionString ?? string.Empty;
        Schema = schema ?? string.Empty;
        _dropSchema = dropSchema;
    }

    /// <summary>The SQLite file; empty for the memory store and PostgreSQL.</summary>
    public string Path { get; }

    /// <summary>PostgreSQL: the connection string, with <c>synchronous_commit=off</c> for relaxed durability.</summary>
    public string ConnectionString { get; }

    /// <summary>PostgreSQL: the schema holding the run's tables; NATS: the store's name.</summary>
    public string Schema { get; }

    /// <summary>NATS: the server's URL.</summary>
    public string NatsUrl { get; }

    /// <summary>How the result line names the database: a path, <c>temporary</c>, <c>none</c> (memory), or <c>postgres:SCHEMA</c>.</summary>
    public string Description { get; }

    public static bool IsSchemaName(string name) => SchemaName().IsMatch(name);

    public static BenchDatabase Open(BenchSettings settings)
    {
        if (settings.IsPostgres)
        {
            return OpenPostgres(settings);
        }

        if (settings.IsNats)
        {
            var store = settings.Schema ?? "bench_" + Guid.NewGuid().ToString("N")[..12];
            var keep = settings.Schema is not null || settings.Keep;
            Reporting.Report.Progress(keep ? $"NATS store {store} (kept)" : $"NATS store {store} (deleted at the end)");
            return new BenchDatabase(string.Empty, null, "nats:" + store, schema: store, dropSchema: !keep, natsUrl: settings.Nats);
        }

        if (settings.Backend == "memory")
        {
            if (settings.Db is not null)
            {
                Reporting.Report.Progress("--db is ignored by the memory store");
            }

            return new BenchDatabase(string.Empty, null, "none");
        }

        if (settings.Db is not null)
        {
            var path = System.IO.Path.GetFullPath(settings.Db);
            return new BenchDatabase(path, null, path);
        }

        // The temporary folder must be on a real disk: on tmpfs a flush costs nothing and durable figures mean nothing.
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "annals-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return new BenchDatabase(System.IO.Path.Combine(directory, "bench.db"), directory, "temporary");
    }

    public void Dispose()
    {
        if (_dropSchema && NatsUrl.Length > 0)
        {
            RawNats.NatsBench.DeleteAsync(NatsUrl, Schema).GetAwaiter().GetResult();
        }
        else if (_dropSchema)
        {
            DropSchema();
        }

        if (_temporaryDirectory is null)
        {
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; a benchmark result matters more than a stray temporary file.
        }
    }

    private static BenchDatabase OpenPostgres(BenchSettings settings)
    {
        var builder = new NpgsqlConnectionStringBuilder(settings.Postgres);
        if (!settings.IsDurable)
        {
            // Commits return before their WAL is flushed, as SQLite's synchronous=NORMAL does; set per connection.
            builder.Options = ((builder.Options ?? string.Empty) + " -c synchronous_commit=off").Trim();
        }

        var schema = settings.Schema ?? "bench_" + Guid.NewGuid().ToString("N")[..12];
        var kept = settings.Schema is not null || settings.Keep;
        Reporting.Report.Progress(kept ? $"PostgreSQL schema {schema} (kept)" : $"PostgreSQL schema {schema} (dropped at the end)");
        return new BenchDatabase(string.Empty, null, "postgres:" + schema, builder.ConnectionString, schema, dropSchema: !kept);
    }

    private void DropSchema()
    {
        // Pooled connections of the run would keep nothing alive, but idle ones are closed so the run leaves no sessions behind.
        NpgsqlConnection.ClearAllPools();
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
            drop.ExecuteNonQuery();
        }
        catch (NpgsqlException e)
        {
            Reporting.Report.Progress($"could not drop schema {Schema}: {e.Message}");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
