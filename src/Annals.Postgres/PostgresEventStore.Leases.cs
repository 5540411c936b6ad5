namespace Annals.Postgres;

public sealed partial class PostgresEventStore
{
    /// <summary>
    /// The leases of this store's schema, shared with every process using it: at most one live
    /// owner per name, judged by the server's clock. A dead owner's lease lapses within its duration.
    /// </summary>
    /// <remarks>Usable until the store is disposed.</remarks>
    public PostgresLeaseManager Leases => field ??= new PostgresLeaseManager(_dataSource, Schema, ThrowIfDisposed);
}
