using System.Diagnostics;
using Annals.Diagnostics;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Entities;

/// <summary>
/// The spans of an entity command: <c>annals.entity.command</c> from send to reply, in the sender's trace, and under it
/// <c>annals.entity.handle</c> from the moment the entity takes the command from its mailbox (the wait before is a tag),
/// with the decision's commit under that.
/// </summary>
internal static class CommandSpan
{
    public static Activity? Start(StreamName entity, MessageContext? context)
    {
        var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.EntityCommand);
        if (span is not null)
        {
            span.SetTag("annals.entity", entity.ToString());
            span.SetTag("annals.category", entity.Category);
            if (context is not null)
            {
                Correlation.Tag(context);
            }
        }

        return span;
    }

    public static Activity? StartHandling(Envelope envelope)
    {
        if (envelope.Span is not { } command)
        {
            return null;
        }

        var waited = Stopwatch.GetElapsedTime(envelope.Posted).TotalMilliseconds;
        command.SetTag("annals.entity.mailbox_wait_ms", waited);
        var span = AnnalsActivity.Source.StartActivity(AnnalsActivity.EntityHandle);
        span?.SetTag("annals.entity", command.GetTagItem("annals.entity"));
        return span;
    }

    /// <summary>Marks the span failed; returns false so the exception filter lets the error pass unchanged.</summary>
    public static bool Failed(Activity? span, Exception error)
    {
        span?.Failed(error);
        return false;
    }
}
