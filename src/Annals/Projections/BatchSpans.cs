using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Storage;

namespace Annals.Projections;

/// <summary>
/// The spans of a projection: <c>annals.projection.batch</c> for each batch handled, a child of the trace its first event
/// was appended in and linked to the traces of the others, and <c>annals.projection.catchup</c> from a run's start until
/// it has read everything the log held.
/// </summary>
internal static class BatchSpans
{
    // Links beyond this add nothing an operator reads and cost memory on every span.
    private const int MaxLinks = 32;

    public static Activity? StartBatch(string projection, IReadOnlyList<RecordedEvent> events)
    {
        if (!AnnalsActivity.Source.HasListeners())
        {
            return null;
        }

        ActivityContext parent = default;
        IReadOnlyDictionary<string, string>? parentMetadata = null;
        List<ActivityLink>? links = null;
        foreach (var e in events)
        {
            if (!TraceContext.TryExtract(e.Metadata, out var context))
            {
                continue;
            }

            if (parentMetadata is null)
            {
                parent = context;
                parentMetadata = e.Metadata;
            }
            // Every other commit is linked, also one of the parent's trace: a batch holding a request's first and later
            // commits (a transfer's debit and its credit) continues each of them.
            else if (!SameSpan(context, parent) && (links ??= []).Count < MaxLinks && !links.Exists(l => SameSpan(l.Context, context)))
            {
                links.Add(new ActivityLink(context));
            }
        }

        var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.ProjectionBatch, ActivityKind.Consumer, parent, links: links);
        if (span is not null)
        {
            span.SetTag("messaging.system", "annals");
            span.SetTag("messaging.operation.type", "process");
            span.SetTag("messaging.destination.name", projection);
            span.SetTag("messaging.batch.message_count", events.Count);
            span.SetTag("annals.projection", projection);
            span.SetTag("annals.position.first", events[0].Position);
            span.SetTag("annals.position.last", events[^1].Position);
            if (parentMetadata is not null)
            {
                Correlation.FromEvent(span, parentMetadata);
            }
        }

        return span;
    }

    public static Activity? StartCatchUp(string projection, long fromPosition)
    {
        // A run starts in whatever trace started the host: its catch-up is a trace of its own.
        Activity.Current = null;
        var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.ProjectionCatchUp, ActivityKind.Consumer);
        span?.SetTag("annals.projection", projection);
        span?.SetTag("annals.position.from", fromPosition);
        return span;
    }

    /// <summary>Ends a catch-up span, at the position reached, and leaves later batches of the run outside it.</summary>
    public static void EndCatchUp(ref Activity? span, long position, bool live)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag("annals.position.to", position);
        span.SetTag("annals.projection.live", live);
        span.Dispose();
        span = null;
        Activity.Current = null;
    }

    private static bool SameSpan(ActivityContext a, ActivityContext b) => a.TraceId == b.TraceId && a.SpanId == b.SpanId;
}
