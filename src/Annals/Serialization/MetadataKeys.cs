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

    /// <summary>The W3C <c>traceparent</c> of the span that appended the event, written by the store while a listener traces Annals.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>, when there is one.</summary>
    public const string TraceState = "tracestate";
}
