namespace Annals.Bench.Measuring;

/// <summary>What the measured part of a run cost.</summary>
internal sealed record MeasuredSpan(double Seconds, long AllocatedBytes, double CpuSeconds, int Gen0, int Gen1, int Gen2);
