namespace Annals.Bench;

/// <summary>What one run measures, as given on the command line.</summary>
/// <param name="Workload">The workload's name, e.g. <c>append</c>.</param>
/// <param name="Store"><c>sqlite</c>, <c>memory</c>, or <c>raw</c> for the plain ADO.NET baselines.</param>
/// <param name="Writers">Concurrent writers (append workloads).</param>
/// <param name="Events">Events measured in total (written or read).</param>
/// <param name="Batch">Events per commit (append workloads).</param>
/// <param name="Db">A database file to use instead of a fresh temporary one.</param>
/// <param name="StreamsPerWriter">Streams each writer rotates among.</param>
/// <param name="StreamSize">Events per stream in a prepared store (read workloads).</param>
/// <param name="Warmup">Commits per writer (or reads) before the measured part.</param>
/// <param name="Durability"><c>full</c> (synchronous=FULL) or <c>relaxed</c> (synchronous=NORMAL).</param>
/// <param name="RawSharing">How raw writers share SQLite: <c>lock</c> (one connection) or <c>connections</c>.</param>
internal sealed record BenchSettings(
    string Workload,
    string Store,
    int Writers,
    int Events,
    int Batch,
    string? Db,
    int StreamsPerWriter,
    int StreamSize,
    int Warmup,
    string Durability,
    string RawSharing)
{
    public bool IsDurable => Durability == "full";
}
