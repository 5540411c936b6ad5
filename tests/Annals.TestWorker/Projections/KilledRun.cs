using System.Globalization;
using Annals.Projections;

namespace Annals.TestWorker.Projections;

/// <summary>What one worker had done when it was killed, as its lines and the checkpoint it left show.</summary>
/// <param name="Round">Which kill.</param>
/// <param name="Delay">How long after the worker's first batch the test began waiting for the batch to kill it at.</param>
/// <param name="LastBatch">The last batch the worker printed.</param>
/// <param name="Checkpoint">The checkpoint it left.</param>
/// <param name="State">The last state it reported, if any.</param>
public sealed record KilledRun(int Round, TimeSpan Delay, WorkerLine LastBatch, long Checkpoint, ProjectionState? State)
{
    /// <summary>Whether the kill landed after the handler handed its last batch over and before that batch committed.</summary>
    public bool MidBatch => LastBatch.Last > Checkpoint;

    /// <summary>How many of the runs were killed mid-batch and how many while live, for the test's output.</summary>
    /// <param name="runs">The runs.</param>
    /// <returns>The text.</returns>
    public static string Summary(IReadOnlyCollection<KilledRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return string.Create(CultureInfo.InvariantCulture, $"{runs.Count(r => r.MidBatch)} of {runs.Count} kills landed mid-batch; {runs.Count(r => r.State == ProjectionState.Live)} while live.");
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"kill {Round + 1} (waited {Delay.TotalMilliseconds:0} ms, last reported {State?.ToString() ?? "nothing"}): last {LastBatch}, checkpoint {Checkpoint}{(MidBatch ? ", mid-batch" : string.Empty)}");
}
