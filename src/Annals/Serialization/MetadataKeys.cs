namespace Annals.Serialization;

/// <summary>The metadata keys Annals itself writes and reads.</summary>
public static class MetadataKeys
{
    /// <summary>The id shared by every message of one piece of work, from the first command on.</summary>
    public const string CorrelationId = "correlation-id";

    /// <summary>The id of the message (command or event) that caused this one.</summary>
    public const string CausationId = "causation-id";

    /// <summary>The schema version of the payload; absent means 1.</summary>
    public const string SchemaVersion = "schema-version";
}
