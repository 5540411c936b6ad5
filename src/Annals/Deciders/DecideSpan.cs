using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Storage;

namespace Annals.Deciders;

/// <summary>The span of one decision: the stream it appends to, how many attempts it took, and how it ended.</summary>
internal static class DecideSpan
{
    public static Activity? Start(StreamName stream)
    {
        var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.Decide);
        span?.SetTag("annals.stream", stream.ToString());
        span?.SetTag("annals.category", stream.Category);
        return span;
    }

    public static Decision<TState, TEvent> Done<TState, TEvent>(Activity? span, Decision<TState, TEvent> decision)
    {
        Done(span, decision.Attempts, decision.Events.Count);
        return decision;
    }

    public static void Done(Activity? span, int attempts, int events)
    {
        if (span is not null)
        {
            span.SetTag("annals.decide.attempts", attempts);
            span.SetTag("annals.decide.events", events);
        }
    }

    /// <summary>Marks the span failed; returns false so the exception filter lets the error pass unchanged.</summary>
    public static bool Failed(Activity? span, Exception error)
    {
        if (span is not null)
        {
            if (error is DecisionConflictException conflict)
            {
                span.SetTag("annals.decide.attempts", conflict.Attempts);
            }

            span.Failed(error);
        }

        return false;
    }
}
