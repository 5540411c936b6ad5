using System.Diagnostics;
using Annals.Diagnostics;

namespace Annals.Storage.Providers;

/// <summary>
/// What a backend's writer reports of the groups it writes: their size on the store meter, and on the commit span of each
/// batch in the group. <see cref="EventStoreBase"/> reports everything else (commit spans, outcomes, durations, events).
/// </summary>
public static class CommitTelemetry
{
    /// <summary>
    /// The commit span of the batch being committed on this flow, or <see langword="null"/> when nobody traces Annals.
    /// Take it where the batch is queued for a writer, and give it back to <see cref="GroupWritten{TPending}"/>.
    /// </summary>
    public static Activity? CurrentCommit =>
        Activity.Current is { } span && ReferenceEquals(span.Source, AnnalsActivity.Source) && span.OperationName == AnnalsActivity.Commit ? span : null;

    /// <summary>Reports a group written in one transaction: its size on the store meter, and on the commit span of each of its batches.</summary>
    /// <typeparam name="TPending">The writer's record of one queued batch.</typeparam>
    /// <param name="system">The backend, as in <c>db.system.name</c> (<c>sqlite</c>, <c>postgresql</c>).</param>
    /// <param name="group">The batches of the group.</param>
    /// <param name="commitSpan">The commit span taken from <see cref="CurrentCommit"/> when a batch was queued.</param>
    public static void GroupWritten<TPending>(string system, IReadOnlyList<TPending> group, Func<TPending, Activity?> commitSpan)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(commitSpan);
        StoreMetrics.GroupWritten(system, group.Count);
        var size = TagValues.Of(group.Count);
        foreach (var pending in group)
        {
            commitSpan(pending)?.SetTag("annals.commit.group_size", size);
        }
    }
}
