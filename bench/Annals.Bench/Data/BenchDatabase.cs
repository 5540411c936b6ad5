using Microsoft.Data.Sqlite;

namespace Annals.Bench.Data;

/// <summary>The database file of a run: the one given with --db, or a fresh temporary one deleted afterwards.</summary>
internal sealed class BenchDatabase : IDisposable
{
    private readonly string? _temporaryDirectory;

    private BenchDatabase(string path, string? temporaryDirectory, string description)
    {
        Path = path;
        _temporaryDirectory = temporaryDirectory;
        Description = description;
    }

    public string Path { get; }

    /// <summary>How the result line names the database: its path, <c>temporary</c>, or <c>none</c> (memory store).</summary>
    public string Description { get; }

    public static BenchDatabase Open(BenchSettings settings)
    {
        if (settings.Store == "memory")
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
}
