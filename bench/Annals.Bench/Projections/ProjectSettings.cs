namespace Annals.Bench.Projections;

/// <summary>What a <c>project</c> run measures: the common settings plus the mode, the pace and the batch sizes.</summary>
/// <param name="Common">
/// Store, events (<see cref="BenchSettings.Events"/>), appenders (<see cref="BenchSettings.Writers"/>, live), stream size
/// (catch-up), warm-up, durability, database.
/// </param>
/// <param name="Live">Live (appenders at a pace, the projection following) rather than catch-up (a prepared store projected from the start).</param>
/// <param name="Rate">Live: the events per second the appenders aim at, together.</param>
/// <param name="BatchSize">The projection's <see cref="Annals.Projections.ProjectionOptions.BatchSize"/>.</param>
/// <param name="CatchUpBatchSize">The projection's <see cref="Annals.Projections.ProjectionOptions.CatchUpBatchSize"/>.</param>
internal sealed record ProjectSettings(BenchSettings Common, bool Live, int Rate, int BatchSize, int CatchUpBatchSize)
{
    /// <summary>The projection under test; its checkpoint is reset when a reused database holds one.</summary>
    public const string ProjectionName = "bench-project";

    /// <summary>
    /// Live: appenders by default. Each waits for its append before its next, so W of them reach at most W / latency,
    /// and the rate must not be lost to slow commits: on the 2-core machine of the README, with the projection running,
    /// 16 appenders kept 5,000 events/s on SQLite but reached only about 3,200 on PostgreSQL, where 64 kept it.
    /// </summary>
    public const int DefaultAppenders = 64;

    public string Mode => Live ? "live" : "catch-up";

    /// <summary>The projection's options: the batch sizes; the rest are the defaults.</summary>
    public Annals.Projections.ProjectionOptions Options => new() { BatchSize = BatchSize, CatchUpBatchSize = CatchUpBatchSize };
}
