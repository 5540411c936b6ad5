using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Sqlite;

public sealed partial class SqliteEventStore : IStoreCatalogueReader
{
    /// <summary>The tables of a store's file, by what they hold.</summary>
    private static readonly IReadOnlyDictionary<string, string> Tables = new Dictionary<string, string>
    {
        ["events"] = "events",
        ["event_tags"] = "event_tags",
        ["streams"] = "streams",
        ["snapshots"] = "snapshots",
        ["states"] = "states",
        ["checkpoints"] = "checkpoints",
        ["queue_messages"] = "queue_messages",
        ["counters"] = "counters",
    };

    /// <inheritdoc />
    /// <remarks>One statement reads every count, so they are of one snapshot of the file; the size is the file's and its write-ahead log's.</remarks>
    public ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default) =>
        Query(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT user_version FROM pragma_user_version),
                       (SELECT COUNT(*) FROM streams WHERE deleted = 0),
                       (SELECT COUNT(*) FROM events),
                       (SELECT value FROM counters WHERE name = 'head'),
                       (SELECT COUNT(*) FROM snapshots),
                       (SELECT COUNT(*) FROM states),
                       (SELECT COUNT(*) FROM checkpoints),
                       (SELECT COUNT(*) FROM queue_messages);
                """;
            using var reader = command.ExecuteReader();
            reader.Read();
            long Size(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;
            return CatalogueRow.Read(reader, "SQLite", Path, Size(Path) + Size(Path + "-wal"), Tables);
        });
}
