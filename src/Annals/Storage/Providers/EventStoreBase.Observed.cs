using System.Diagnostics;
using System.Runtime.CompilerServices;
using Annals.Diagnostics;

namespace Annals.Storage.Providers;

public abstract partial class EventStoreBase
{
    /// <summary>A commit while someone listens: its span, its outcome and duration on the store meter, and its trace context on its events.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CommitResult> ObservedCommitAsync(BatchOperation[] operations, CancellationToken cancellationToken)
    {
        var events = CountEvents(operations);
        using var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.Commit, ActivityKind.Client);
        if (span is not null)
        {
            span.SetTag("db.system.name", DatabaseSystem);
            span.SetTag("db.operation.name", "commit");
            span.SetTag("db.namespace", DatabaseNamespace);
            span.SetTag("annals.commit.operations", TagValues.Of(operations.Length));
            span.SetTag("annals.commit.events", TagValues.Of(events));
            if (span.Recorded && events > 0)
            {
                operations = WithTraceContext(operations, span);
            }
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await CommitCoreAsync(operations, cancellationToken).ConfigureAwait(false);
            StoreMetrics.Committed(DatabaseSystem, events, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (span is not null && result.LastPosition is { } position)
            {
                span.SetTag("annals.commit.position", position);
            }

            return result;
        }
        catch (Exception e)
        {
            StoreMetrics.Refused(DatabaseSystem, e, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            span?.Failed(e);
            throw;
        }
    }

    private static int CountEvents(BatchOperation[] operations)
    {
        var events = 0;
        foreach (var operation in operations)
        {
            if (operation.Kind == OperationKind.Append)
            {
                events += ((AppendOperation)operation).Events.Count;
            }
        }

        return events;
    }

    /// <summary>
    /// The operations with the commit span's trace context in the metadata of every appended event that has none, so the
    /// spans that handle the events later join this trace. The batch was validated without it: the size limit is the
    /// caller's, and a replayed append matches by event id alone, so a retry under another span is still a replay.
    /// </summary>
    private static BatchOperation[] WithTraceContext(BatchOperation[] operations, Activity span)
    {
        var traced = new BatchOperation[operations.Length];
        for (var i = 0; i < operations.Length; i++)
        {
            traced[i] = operations[i] is AppendOperation append ? Traced(append, span) : operations[i];
        }

        return traced;
    }

    private static AppendOperation Traced(AppendOperation append, Activity span)
    {
        EventData[]? events = null;
        for (var i = 0; i < append.Events.Count; i++)
        {
            var e = append.Events[i];
            if (TraceContext.Inject(span, e.Metadata) is { } metadata)
            {
                events ??= [.. append.Events];
                events[i] = new EventData(e.EventId, e.Type, e.Data, metadata, e.Tags);
            }
        }

        return events is null ? append : new AppendOperation(append.Stream, append.Expected, events);
    }
}
