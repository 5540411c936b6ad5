using Annals.Storage;

namespace Annals.Projections;

/// <summary>One batch delivered to a projection's handler.</summary>
/// <param name="Projection">The projection's name.</param>
/// <param name="Events">The events, in log order; never empty.</param>
/// <param name="Commit">
/// The commit the host makes after the handler returns, with the checkpoint: add durable-state or SQL work here for
/// effects that happen exactly once.
/// </param>
/// <param name="AfterPosition">The checkpoint before this batch: every event at or below it was handled before.</param>
/// <param name="IsReplay">Whether this is a parked event delivered again on request, outside log order.</param>
public sealed record ProjectionBatch(string Projection, IReadOnlyList<RecordedEvent> Events, CommitBatch Commit, long AfterPosition, bool IsReplay = false)
{
    /// <summary>The read model's generation to write, for an <see cref="ISideBySideProjection"/>; 0 for any other.</summary>
    public long Generation { get; init; }

    /// <summary>The position of the batch's last event: the checkpoint once the batch commits.</summary>
    public long LastPosition => Events[^1].Position;

    /// <summary>What runs once the batch's commit is stored (a process waking its dispatcher).</summary>
    internal List<Action>? Committed { get; private set; }

    internal void AfterCommit(Action action) => (Committed ??= []).Add(action);
}
