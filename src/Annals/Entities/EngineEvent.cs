using Annals.Storage;

namespace Annals.Entities;

/// <summary>An event an engine's entity committed, as published to in-process subscribers after the commit.</summary>
/// <param name="Entity">The entity (its stream).</param>
/// <param name="Event">The event object.</param>
/// <param name="Revision">Its revision in the stream.</param>
/// <param name="Position">Its position in the global log.</param>
public sealed record EngineEvent(StreamName Entity, object Event, long Revision, long Position);
