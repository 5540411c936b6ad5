using Annals.InMemory;
using Annals.Nats;
using Annals.Postgres;
using Annals.Sqlite;

namespace Annals.Hosting;

/// <summary>
/// How one hosted store is opened and watched: its backend and that backend's options. Bound from the configuration
/// section <see cref="SectionName"/> for the default store and <c>Annals:Stores:&lt;name&gt;</c> for a named one, over
/// the defaults that the code's <c>Use…</c> calls set.
/// </summary>
public sealed class AnnalsOptions
{
    /// <summary>The configuration section of the default store; a named store's is <c>Annals:Stores:&lt;name&gt;</c>.</summary>
    public const string SectionName = "Annals";

    /// <summary>The backend; it must be set, by a <c>Use…</c> call or by configuration (<c>Backend</c>).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public AnnalsBackend? Backend { get; set; }

    /// <summary>The SQLite store's options (section <c>Sqlite</c>: <c>Path</c>, <c>Durability</c>, …), used when <see cref="Backend"/> is <see cref="AnnalsBackend.Sqlite"/>.</summary>
    public SqliteEventStoreOptions Sqlite { get; } = new();

    /// <summary>The PostgreSQL store's options (section <c>Postgres</c>: <c>ConnectionString</c>, <c>Schema</c>, …), used when <see cref="Backend"/> is <see cref="AnnalsBackend.Postgres"/>.</summary>
    public PostgresEventStoreOptions Postgres { get; } = new();

    /// <summary>The NATS store's options (section <c>Nats</c>: <c>Url</c>, <c>Store</c>, <c>Replicas</c>, …), used when <see cref="Backend"/> is <see cref="AnnalsBackend.Nats"/>.</summary>
    public NatsEventStoreOptions Nats { get; } = new();

    /// <summary>The in-memory store's options (section <c>InMemory</c>), used when <see cref="Backend"/> is <see cref="AnnalsBackend.InMemory"/>.</summary>
    public InMemoryEventStoreOptions InMemory { get; } = new();

    /// <summary>Whether projections run under leases, one process at a time (section <c>Projections</c>).</summary>
    public AnnalsProjectionOptions Projections { get; } = new();

    /// <summary>What the health checks call healthy (section <c>Health</c>).</summary>
    public AnnalsHealthOptions Health { get; } = new();
}
