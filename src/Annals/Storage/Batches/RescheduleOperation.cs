namespace Annals.Storage;

/// <summary>Moves a queued message to a new due time and records the attempt's outcome, if it is at the expected revision.</summary>
public sealed class RescheduleOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="expectedRevision">The message's stored revision.</param>
    /// <param name="dueAt">The next attempt's time.</param>
    /// <param name="failureCount">The number of failed attempts so far.</param>
    /// <param name="lastError">The last attempt's error, if it failed.</param>
    public RescheduleOperation(string queue, Guid messageId, long expectedRevision, DateTimeOffset dueAt, int failureCount, string? lastError)
        : base(OperationKind.Reschedule)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        ArgumentOutOfRangeException.ThrowIfNegative(failureCount);
        Queue = CheckName(queue, NameKind.Queue);
        MessageId = messageId;
        ExpectedRevision = expectedRevision;
        DueAt = dueAt;
        FailureCount = failureCount;
        LastError = lastError is not null && NameRules.CheckWellFormed(lastError, "last error") is { } error
            ? throw new ArgumentException($"Invalid last error: {error}.", nameof(lastError))
            : lastError;
    }

    /// <summary>The queue's name.</summary>
    public string Queue { get; }

    /// <summary>The message's id.</summary>
    public Guid MessageId { get; }

    /// <summary>The message's stored revision.</summary>
    public long ExpectedRevision { get; }

    /// <summary>The next attempt's time.</summary>
    public DateTimeOffset DueAt { get; }

    /// <summary>The number of failed attempts so far.</summary>
    public int FailureCount { get; }

    /// <summary>The last attempt's error, if it failed.</summary>
    public string? LastError { get; }
}
