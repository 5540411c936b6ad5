using System.Globalization;
using Annals.Projections;

namespace Annals.TestWorker.Projections;

/// <summary>
/// Counts each event into <see cref="Tally"/> through the batch's commit, so the count moves with the checkpoint. Says
/// "BATCH first last" as the handler returns: the batch is then handed over but not yet committed, so a kill that lands
/// after the line and before the commit shows as a checkpoint behind the last batch printed.
/// </summary>
internal sealed class TallyProjection(WorkerOutput output) : IProjection
{
    public ValueTask HandleAsync(ProjectionBatch batch, CancellationToken cancellationToken)
    {
        var events = batch.Events.Select(e => (e.Stream.Value, e.Position)).ToArray();
        batch.Commit.ExecuteSql((sql, ct) => Tally.CountAsync(sql, events, ct));
        output.Say(string.Create(CultureInfo.InvariantCulture, $"BATCH {batch.Events[0].Position} {batch.LastPosition}"));
        return ValueTask.CompletedTask;
    }
}
