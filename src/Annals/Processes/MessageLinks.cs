using Annals.Serialization;

namespace Annals.Processes;

/// <summary>What a command or timeout carries of its cause: the correlation it belongs to and the message that caused it.</summary>
/// <param name="CorrelationId">The correlation.</param>
/// <param name="CausationId">The event or timeout that caused it.</param>
internal readonly record struct MessageLinks(string CorrelationId, string CausationId)
{
    /// <summary>The links of what a message caused: its correlation (its own id when it has none, so it starts one), and itself as the cause.</summary>
    public static MessageLinks CausedBy(string causeId, IReadOnlyDictionary<string, string> metadata) =>
        new(metadata.TryGetValue(MetadataKeys.CorrelationId, out var correlation) ? correlation : causeId, causeId);
}
