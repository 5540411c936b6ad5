using System.Data.Common;

namespace Annals.Storage.Providers;

/// <summary>
/// Reads a SQL store's catalogue from one row whose first eight columns are, in this order: schema version, live
/// streams, stored events, head position, snapshots, states, checkpoints and queue messages.
/// </summary>
public static class CatalogueRow
{
    /// <summary>Reads the current row of <paramref name="reader"/> as a catalogue.</summary>
    /// <param name="reader">A reader on the row.</param>
    /// <param name="backend">The backend's name.</param>
    /// <param name="location">Where the store is: a file, a schema.</param>
    /// <param name="sizeBytes">The store's size on disk, or <see langword="null"/> when unknown.</param>
    /// <param name="tables">The store's tables, by what they hold.</param>
    /// <returns>The catalogue.</returns>
    public static StoreCatalogue Read(DbDataReader reader, string backend, string location, long? sizeBytes, IReadOnlyDictionary<string, string> tables)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new StoreCatalogue
        {
            Backend = backend,
            Location = location,
            SchemaVersion = reader.GetInt32(0),
            Streams = reader.GetInt64(1),
            Events = reader.GetInt64(2),
            HeadPosition = reader.GetInt64(3),
            Snapshots = reader.GetInt64(4),
            States = reader.GetInt64(5),
            Checkpoints = reader.GetInt64(6),
            QueueMessages = reader.GetInt64(7),
            SizeBytes = sizeBytes,
            Tables = tables,
        };
    }
}
