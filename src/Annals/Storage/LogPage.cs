namespace Annals.Storage;

/// <summary>One page of a backend's read of the global log.</summary>
/// <param name="Events">The matching events, in position order.</param>
/// <param name="ScannedTo">How far the read looked: the next page reads after this position (a filter may match nothing up to it).</param>
/// <param name="AtEnd">Whether the read reached the head of the log as it was when read.</param>
public readonly record struct LogPage(IReadOnlyList<RecordedEvent> Events, long ScannedTo, bool AtEnd);
