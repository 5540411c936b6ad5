namespace Annals.Bench.Comparing;

/// <summary>The line <c>compare</c> ends with: a workload's throughput as a ratio to its baseline's, round by round.</summary>
internal sealed record CompareResult
{
    /// <summary>Always <c>compare</c>, so the line is told apart from the workloads' own.</summary>
    public string Workload { get; } = "compare";

    public required string Baseline { get; init; }

    public required string Measured { get; init; }

    public required int Rounds { get; init; }

    /// <summary>Each round's measured events per second divided by the baseline's of the same round.</summary>
    public required double[] Ratios { get; init; }

    public required double MedianRatio { get; init; }

    public required double MinRatio { get; init; }

    public required double MaxRatio { get; init; }

    public required double[] BaselineEventsPerSec { get; init; }

    public required double[] MeasuredEventsPerSec { get; init; }

    public required string Date { get; init; }
}
