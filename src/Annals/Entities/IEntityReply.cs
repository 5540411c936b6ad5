using Annals.Storage;

namespace Annals.Entities;

/// <summary>A reply whatever its state type, for a host that carries replies between processes.</summary>
internal interface IEntityReply
{
    StreamName Entity { get; }

    object? State { get; }

    long? Revision { get; }

    IReadOnlyList<object> Events { get; }
}
