namespace Annals.Orleans.Entities;

/// <summary>What the entity's engine answered: the reply's parts, or the failure to raise at the sender as the engine raised it.</summary>
[GenerateSerializer, Immutable]
internal sealed record EntityOutcome(
    [property: Id(0)] Payload? State,
    [property: Id(1)] long? Revision,
    [property: Id(2)] Payload[] Events,
    [property: Id(3)] EntityFailure? Failure);
