namespace Annals.Bench;

/// <summary>What one run measures, as given on the command line.</summary>
/// <param name="Workload">The workload's name, e.g. <c>append</c>.</param>
/// <param name="Backend">The database under test: <c>sqlite</c>, <c>memory</c>, <c>postgres</c> or <c>nats</c>.</param>
/// <param name="Raw">Whether this is a plain ADO.NET / Npgsql baseline rather than the store.</param>
/// <param name="Writers">Concurrent writers (append workloads).</param>
/// <param name="Events">Events measured in total (written or read).</param>
/// <param name="Batch">Events per commit (append workloads).</param>
/// <param name="Db">A database file to use instead of a fresh temporary one.</param>
/// <param name="StreamsPerWriter">Streams each writer rotates among.</param>
/// <param name="StreamSize">Events per stream in a prepared store (read workloads).</param>
/// <param name="Warmup">Commits per writer (or reads) before the measured part.</param>
/// <param name="Durability"><c>full</c> (synchronous=FULL; synchronous_commit on) or <c>relaxed</c> (NORMAL; off).</param>
/// <param name="RawSharing">How raw writers share SQLite: <c>lock</c> (one connection) or <c>connections</c>.</param>
/// <param name="RawMode">How raw writers write a commit: <c>per-commit</c>, <c>batched</c> or <c>copy</c> (the last two PostgreSQL only).</param>
/// <param name="Postgres">The PostgreSQL connection string (<c>--store postgres</c>).</param>
/// <param name="Schema">A PostgreSQL schema, or a NATS store, to use (and keep) instead of a fresh one.</param>
/// <param name="Keep">Keep the fresh PostgreSQL schema or NATS store instead of dropping it at the end.</param>
/// <param name="Nats">The NATS server's URL (<c>--store nats</c>).</param>
internal sealed record BenchSettings(
    string Workload,
    string Backend,
    bool Raw,
    int Writers,
    int Events,
    int Batch,
    string? Db,
    int StreamsPerWriter,
    int StreamSize,
    int Warmup,
    string Durability,
    string RawSharing,
    string RawMode,
    string? Postgres,
    string? Schema,
    bool Keep,
    string? Nats = null)
{
    public bool IsDurable => Durability == "full";

    public bool IsPostgres => Backend == "postgres";

    public bool IsNats => Backend == "nats";

    /// <summary>How the result line names what was measured: the store's backend, <c>raw</c> (SQLite), <c>raw-postgres</c> or <c>raw-nats</c>.</summary>
    public string Store => !Raw ? Backend : IsPostgres ? "raw-postgres" : IsNats ? "raw-nats" : "raw";
}
