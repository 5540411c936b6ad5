namespace Annals.Orleans.Entities;

/// <summary>A command on its way to an entity's grain, with what the engine needs to handle it as the sender asked.</summary>
[GenerateSerializer, Immutable]
internal sealed record EntityCall(
    [property: Id(0)] Payload Command,
    [property: Id(1)] TimeSpan? Timeout,
    [property: Id(2)] string MessageId,
    [property: Id(3)] string? CorrelationId,
    [property: Id(4)] string? CausationId,
    [property: Id(5)] Dictionary<string, string>? Metadata);
