using System.Diagnostics;
using Annals.Serialization;

namespace Annals.Diagnostics;

/// <summary>
/// Correlation and causation between the current <see cref="Activity"/> and message metadata: a command sent with no
/// context of its own joins the correlation the current trace carries (baggage <see cref="MetadataKeys.CorrelationId"/>),
/// and every command's ids go onto its span, and its correlation onto the trace, for what runs under it.
/// </summary>
internal static class Correlation
{
    /// <summary>A new command context in the current trace's correlation, or starting one.</summary>
    public static MessageContext NewContext()
    {
        var context = MessageContext.New();
        return Activity.Current?.GetBaggageItem(MetadataKeys.CorrelationId) is { Length: > 0 } correlation
            ? context with { CorrelationId = correlation }
            : context;
    }

    /// <summary>Puts a command's ids on the current Annals span, and its correlation in the trace's baggage.</summary>
    public static void Tag(MessageContext context)
    {
        if (Activity.Current is not { } span || !ReferenceEquals(span.Source, AnnalsActivity.Source))
        {
            return;
        }

        var correlation = context.CorrelationId ?? context.MessageId;
        span.SetTag("messaging.message.id", context.MessageId);
        span.SetTag("messaging.message.conversation_id", correlation);
        if (context.CausationId is { } causation)
        {
            span.SetTag("annals.causation_id", causation);
        }

        if (span.GetBaggageItem(MetadataKeys.CorrelationId) != correlation)
        {
            span.SetBaggage(MetadataKeys.CorrelationId, correlation);
        }
    }

    /// <summary>Puts an event's correlation on a span that handles it, so commands sent from the handler join it.</summary>
    public static void FromEvent(Activity span, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.TryGetValue(MetadataKeys.CorrelationId, out var correlation))
        {
            span.SetTag("messaging.message.conversation_id", correlation);
            span.SetBaggage(MetadataKeys.CorrelationId, correlation);
        }
    }
}
