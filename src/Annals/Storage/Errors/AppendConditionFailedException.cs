namespace Annals.Storage;

/// <summary>An append condition failed: an event matching its filter was committed after the position it named.</summary>
public sealed class AppendConditionFailedException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="filter">The condition's filter.</param>
    /// <param name="afterPosition">The position after which no matching event was expected.</param>
    /// <param name="conflictingPosition">The position of the latest matching event.</param>
    public AppendConditionFailedException(EventFilter filter, long afterPosition, long conflictingPosition)
        : base($"Append condition failed: no event matching '{filter}' was expected after position {afterPosition}, but one was committed at position {conflictingPosition}.")
    {
        Filter = filter;
        AfterPosition = afterPosition;
        ConflictingPosition = conflictingPosition;
    }

    /// <summary>The condition's filter.</summary>
    public EventFilter Filter { get; }

    /// <summary>The position after which no matching event was expected.</summary>
    public long AfterPosition { get; }

    /// <summary>The position of the latest matching event.</summary>
    public long ConflictingPosition { get; }
}
