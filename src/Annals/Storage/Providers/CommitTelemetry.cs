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
    /// Take it where the batch is queued for a writer, and give it back to <see cref="GroupWritten"/>.
    /// </summary>
    public static Activity? CurrentCommit =>
        Activity.Current is { } span && ReferenceEquals(span.Source, AnnalsActivity.Source) && span.OperationName == AnnalsActivity.Commit ? span : null;

    /// <summary>Reports a group written in one transaction.</summary>
    /// <param name="system">The backend, as in <c>db.system.name</c> (<c>sqlite</c>, <c>postgresql</c>).</param>
    /// <param name="batches">How many batches the group held.</param>
    public static void GroupWritten(string system, int batches) => StoreMetrics.GroupWritten(system, batches);

    /// <summary>Tags a batch's commit span with the size of the group it was written in.</summary>
    /// <param name="commitSpan">The span taken from <see cref="CurrentCommit"/> when the batch was queued.</param>
    /// <param name="batches">How many batches the group held.</param>
    public static void Grouped(Activity? commitSpan, int batches) => commitSpan?.SetTag("annals.commit.group_size", TagValues.Of(batches));
}
