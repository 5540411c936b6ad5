using Annals.Storage;

namespace Annals.Deciders;

/// <summary>A stored event as an application object, beside the stored record it came from.</summary>
/// <param name="Data">The object.</param>
/// <param name="Record">The stored event.</param>
public sealed record TypedEvent(object Data, RecordedEvent Record);
