namespace Annals.Orleans.Entities;

/// <summary>An application value on the wire: the name of its runtime type and its bytes from the store's payload serializer (System.Text.Json by default).</summary>
[GenerateSerializer, Immutable]
internal sealed record Payload([property: Id(0)] string Type, [property: Id(1)] byte[] Data);
