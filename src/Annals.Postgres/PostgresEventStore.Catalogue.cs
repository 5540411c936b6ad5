using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Postgres;

public sealed partial class PostgresEventStore : IStoreCatalogueReader
{
    /// <summary>The tables of a store's schema, by what they hold, as the migrations make them.</summary>
    private static readonly string[] TableNames = ["events", "event_tags", "streams", "snapshots", "states", "checkpoints", "queue_messages", "counters", "leases", "schema_version"];

    /// <inheritdoc />
    /// <remarks>One statement reads every count, so they are of one snapshot; the size is that of every table of the schema, with its indexes and TOAST.</remarks>
    public async ValueTask<StoreCatalogue> GetCatalogueAsync(CancellationToken cancellationToken = default)
    {
        var s = Schema;
        var sql = $"""
            SELECT (SELECT max(version) FROM {s}.schema_version),
                   (SELECT count(*) FROM {s}.streams WHERE NOT deleted),
                   (SELECT count(*) FROM {s}.events),
                   (SELECT value FROM {s}.counters WHERE name = 'head'),
                   (SELECT count(*) FROM {s}.snapshots),
                   (SELECT count(*) FROM {s}.states),
                   (SELECT count(*) FROM {s}.checkpoints),
                   (SELECT count(*) FROM {s}.queue_messages),
                   (SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r')
            """;
        var catalogue = await QueryAsync(
            sql,
            [s],
            reader => CatalogueRow.Read(reader, "PostgreSQL", s, reader.GetInt64(8), TableNames.ToDictionary(t => t, t => $"{s}.{t}")),
            cancellationToken).ConfigureAwait(false);
        return catalogue!;
    }
}
