using Annals.Deciders;
using Annals.Serialization;
using Annals.Storage;

namespace Annals.Cli.Demo;

/// <summary>The bank's types and typed store: its types registered by their <see cref="EventTypeAttribute"/> names, serialized by <see cref="BankJsonContext"/>.</summary>
internal static class Bank
{
    public const string Currency = "EUR";

    /// <summary>Every [EventType] of this assembly, and JSON without reflection.</summary>
    public static EventCodec Codec { get; } = new(
        new TypeRegistry().RegisterAssembly(typeof(Bank).Assembly),
        new JsonPayloadSerializer(BankJsonContext.Default));

    public static StreamName Account(string id) => StreamName.For("account", id);

    public static TypedEventStore Open(IEventStore store) => new(store, Codec);
}
