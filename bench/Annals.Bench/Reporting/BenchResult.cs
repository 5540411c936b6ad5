namespace Annals.Bench.Reporting;

/// <summary>One run's figures: the JSON line a run prints (field names in snake_case).</summary>
internal sealed record BenchResult
{
    public required string Workload { get; init; }

    public required string Store { get; init; }

    public required int Writers { get; init; }

    public int? Batch { get; init; }

    public required long Events { get; init; }

    public required double Seconds { get; init; }

    public required double EventsPerSec { get; init; }

    public long? Commits { get; init; }

    public double? CommitsPerSec { get; init; }

    public double? P50Ms { get; init; }

    public double? P90Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? MaxMs { get; init; }

    public required long AllocatedBytes { get; init; }

    public required double AllocatedBytesPerEvent { get; init; }

    public required double CpuSeconds { get; init; }

    public required int Gen0Collections { get; init; }

    public required int Gen1Collections { get; init; }

    public required int Gen2Collections { get; init; }

    public long? Streams { get; init; }

    public long? DataBytes { get; init; }

    public required string Durability { get; init; }

    public string? Sharing { get; init; }

    public string? Mode { get; init; }

    public int? SnapshotEvery { get; init; }

    /// <summary><c>entity-memory</c>: entity ids touched in all.</summary>
    public long? Entities { get; init; }

    /// <summary><c>entity-memory</c>: managed heap per idle live entity (median over waves), bytes.</summary>
    public double? LiveBytesPerEntity { get; init; }

    /// <summary><c>entity-memory</c>: managed heap above the baseline once every touched entity has been passivated, bytes.</summary>
    public long? RetainedBytesAfterPassivation { get; init; }

    /// <summary><c>project</c>: the projection's batch size (<c>ProjectionOptions.BatchSize</c>).</summary>
    public int? ProjectionBatchSize { get; init; }

    /// <summary><c>project</c>: the projection's batch size while behind (<c>ProjectionOptions.CatchUpBatchSize</c>).</summary>
    public int? ProjectionCatchUpBatchSize { get; init; }

    /// <summary><c>project --mode live</c>: the append rate aimed at, events per second (<c>events_per_sec</c> is the one achieved).</summary>
    public int? TargetRate { get; init; }

    /// <summary><c>process</c> catch-up: seconds from the start until every command had been delivered to its handler (<c>seconds</c> ends when the checkpoint reaches the head).</summary>
    public double? DeliveredSeconds { get; init; }

    /// <summary><c>process</c>: the process's <c>ProcessOptions.PollInterval</c>, milliseconds.</summary>
    public double? PollIntervalMs { get; init; }

    /// <summary><c>entity</c>: where the entities lived: <c>engine</c>, <c>engines:N</c> (N engines on the store) or <c>orleans:N</c> (N silos).</summary>
    public string? EntityHosts { get; init; }

    /// <summary><c>decide-dcb</c>: measured decisions that lost a race and were decided again (the sum of each command's attempts less one); <c>entity</c>: measured commands that lost a race to another engine twice and were sent again.</summary>
    public long? Conflicts { get; init; }

    /// <summary><c>decide-dcb</c> and <c>entity</c>: <see cref="Conflicts"/> per command.</summary>
    public double? ConflictRate { get; init; }

    /// <summary><c>decide-dcb</c>: measured subscriptions stored.</summary>
    public long? Accepted { get; init; }

    /// <summary><c>decide-dcb</c>: measured subscriptions the rules refused (course full, student at three courses, already subscribed).</summary>
    public long? Refused { get; init; }

    public required string Database { get; init; }

    public required int Cores { get; init; }

    public required string Runtime { get; init; }

    public required string Date { get; init; }
}
