namespace Annals.Storage;

/// <summary>
/// Fails the batch if any event matching <see cref="Filter"/> was committed after
/// <see cref="AfterPosition"/>: a consistency boundary drawn by a filter rather than by one stream.
/// </summary>
public sealed class AppendConditionOperation : BatchOperation
{
    /// <summary>Makes the condition.</summary>
    /// <param name="filter">The events the decision was based on.</param>
    /// <param name="afterPosition">The position up to which they were read; 0 when none was read.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative.</exception>
    public AppendConditionOperation(EventFilter filter, long afterPosition)
        : base(OperationKind.AppendCondition)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        Filter = filter;
        AfterPosition = afterPosition;
    }

    /// <summary>The events the decision was based on.</summary>
    public EventFilter Filter { get; }

    /// <summary>The position up to which they were read.</summary>
    public long AfterPosition { get; }
}
