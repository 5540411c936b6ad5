namespace Annals.Storage;

/// <summary>A queue operation expected a message revision other than the stored one (or expected no message where one exists).</summary>
public sealed class QueueMessageConflictException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="expected">The revision expected, or <see langword="null"/> when no message was expected.</param>
    /// <param name="actual">The stored revision, or <see langword="null"/> when there is no such message.</param>
    public QueueMessageConflictException(string queue, Guid messageId, long? expected, long? actual)
        : base($"Message {messageId} in queue '{queue}' was expected {Show(expected)} but {(actual is { } a ? $"is at revision {a}" : "does not exist")}.")
    {
        Queue = queue;
        MessageId = messageId;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The queue.</summary>
    public string Queue { get; }

    /// <summary>The message's id.</summary>
    public Guid MessageId { get; }

    /// <summary>The revision expected, or <see langword="null"/> when no message was expected.</summary>
    public long? Expected { get; }

    /// <summary>The stored revision, or <see langword="null"/> when there is no such message.</summary>
    public long? Actual { get; }

    private static string Show(long? revision) => revision is { } r ? $"at revision {r}" : "not to exist";
}
