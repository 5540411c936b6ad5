using System.Diagnostics;
using Annals.Serialization;

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

    /// <summary>Adds a span's trace context to metadata; metadata that carries one already keeps its own.</summary>
    public static Dictionary<string, string>? Inject(Activity span, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.ContainsKey(MetadataKeys.TraceParent) || span.IdFormat != ActivityIdFormat.W3C)
        {
            return null;
        }

        var copy = new Dictionary<string, string>(metadata.Count + 2, StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            copy[key] = value;
        }

        copy[MetadataKeys.TraceParent] = span.Id!;
        if (!string.IsNullOrEmpty(span.TraceStateString))
        {
            copy[MetadataKeys.TraceState] = span.TraceStateString;
        }

        return copy;
    }
}
