using System.Diagnostics;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Diagnostics;

/// <summary>
/// The W3C trace context kept in event metadata (<see cref="MetadataKeys.TraceParent"/>, <see cref="MetadataKeys.TraceState"/>),
/// so the spans that handle an event later, in another process or another day, join the trace that appended it.
/// </summary>
internal static class TraceContext
{
    /// <summary>Reads the trace context an event was appended under, if it carries a valid one.</summary>
    public static bool TryExtract(IReadOnlyDictionary<string, string> metadata, out ActivityContext context)
    {
        context = default;
        if (!metadata.TryGetValue(MetadataKeys.TraceParent, out var parent))
        {
            return false;
        }

        metadata.TryGetValue(MetadataKeys.TraceState, out var state);
        return ActivityContext.TryParse(parent, state, isRemote: true, out context);
    }

    /// <summary>Adds a span's trace context to an event's metadata; metadata that carries one already keeps its own.</summary>
    public static IReadOnlyDictionary<string, string>? Inject(Activity span, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.ContainsKey(MetadataKeys.TraceParent) || span.IdFormat != ActivityIdFormat.W3C)
        {
            return null;
        }

        var traced = metadata is FrozenMetadata frozen ? frozen : FrozenMetadata.From(metadata, nameof(metadata));
        traced = traced.With(MetadataKeys.TraceParent, span.Id!);
        return string.IsNullOrEmpty(span.TraceStateString) ? traced : traced.With(MetadataKeys.TraceState, span.TraceStateString);
    }
}
