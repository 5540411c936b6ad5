using Annals.Bench.Reporting;

namespace Annals.Bench.Comparing;

/// <summary>
/// Runs a baseline and a workload in turns, so that both meet the same moments of a shared,
/// noisy machine, and takes the ratio within each round: a round is a pair run back to back, in
/// alternating order, so that neither always runs on the heels of the other.
/// </summary>
internal static class Comparison
{
    public static async Task<CompareResult> RunAsync(IReadOnlyList<string> baseline, IReadOnlyList<string> measured, int rounds, string? baselineProgram, CancellationToken cancellationToken)
    {
        var baselineRates = new double[rounds];
        var measuredRates = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            Report.Progress($"compare: round {round + 1} of {rounds}");
            if (round % 2 == 0)
            {
                baselineRates[round] = (await ChildRun.RunAsync(baseline, baselineProgram, cancellationToken)).EventsPerSec;
                measuredRates[round] = (await ChildRun.RunAsync(measured, null, cancellationToken)).EventsPerSec;
            }
            else
            {
                measuredRates[round] = (await ChildRun.RunAsync(measured, null, cancellationToken)).EventsPerSec;
                baselineRates[round] = (await ChildRun.RunAsync(baseline, baselineProgram, cancellationToken)).EventsPerSec;
            }
        }

        var ratios = measuredRates.Zip(baselineRates, (m, b) => Math.Round(m / b, 3)).ToArray();
        return new CompareResult
        {
            Baseline = baselineProgram is null ? baseline[0] : $"{baseline[0]} ({baselineProgram})",
            Measured = measured[0],
            Rounds = rounds,
            Ratios = ratios,
            MedianRatio = Median(ratios),
            MinRatio = ratios.Min(),
            MaxRatio = ratios.Max(),
            BaselineEventsPerSec = baselineRates,
            MeasuredEventsPerSec = measuredRates,
            Date = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : Math.Round((sorted[middle - 1] + sorted[middle]) / 2, 3);
    }
}
