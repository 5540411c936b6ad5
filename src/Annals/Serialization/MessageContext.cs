using System.Globalization;
using Annals.Storage;

namespace Annals.Serialization;

/// <summary>Where a command comes from: its id, the correlation it belongs to, and extra metadata for the events it causes.</summary>
/// <remarks>
/// Events decided from a command carry <see cref="MetadataKeys.CausationId"/> = the command's id and
/// <see cref="MetadataKeys.CorrelationId"/> = the command's correlation id (its own id when it starts a
/// correlation), so a chain of commands and events can be followed across streams and processes.
/// </remarks>
/// <param name="MessageId">The command's id.</param>
/// <param name="CorrelationId">The correlation it belongs to; <see langword="null"/> when it starts one.</param>
/// <param name="Metadata">Extra metadata copied to every event (a user, a tenant…); <see langword="null"/> for none.</param>
public sealed record MessageContext(string MessageId, string? CorrelationId = null, IReadOnlyDictionary<string, string>? Metadata = null)
{
    /// <summary>A context for a command that starts a new correlation, with a new time-ordered id.</summary>
    /// <returns>The context.</returns>
    public static MessageContext New() => new(Guid.CreateVersion7().ToString());

    /// <summary>A context for a command caused by a stored event (a process manager reacting, say): same correlation, caused by that event.</summary>
    /// <param name="cause">The event.</param>
    /// <returns>The context, with a new id for the command.</returns>
    public static MessageContext CausedBy(RecordedEvent cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var causeId = cause.EventId.ToString();
        var correlation = cause.Metadata.TryGetValue(MetadataKeys.CorrelationId, out var c) ? c : causeId;
        return new MessageContext(Guid.CreateVersion7().ToString(), correlation, null) { CausationId = causeId };
    }

    /// <summary>The message that caused the command itself, if known; recorded on the command's events only through <see cref="CorrelationId"/>.</summary>
    public string? CausationId { get; init; }

    /// <summary>Makes the metadata of one event caused by this command.</summary>
    /// <param name="schemaVersion">The payload's schema version; written only when above 1.</param>
    /// <returns>The metadata.</returns>
    internal Dictionary<string, string> EventMetadata(int schemaVersion)
    {
        var metadata = Metadata is null ? new Dictionary<string, string>(3, StringComparer.Ordinal) : new Dictionary<string, string>(Metadata, StringComparer.Ordinal);
        metadata[MetadataKeys.CorrelationId] = CorrelationId ?? MessageId;
        metadata[MetadataKeys.CausationId] = MessageId;
        if (schemaVersion != 1)
        {
            metadata[MetadataKeys.SchemaVersion] = schemaVersion.ToString(CultureInfo.InvariantCulture);
        }

        return metadata;
    }
}
