namespace Annals.Storage;

/// <summary>Removes a message from a queue (it was handled), if it is at the expected revision.</summary>
public sealed class RemoveMessageOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id.</param>
    /// <param name="expectedRevision">The message's stored revision.</param>
    public RemoveMessageOperation(string queue, Guid messageId, long expectedRevision)
        : base(OperationKind.RemoveMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedRevision);
        Queue = CheckName(queue, NameKind.Queue);
        MessageId = messageId;
        ExpectedRevision = expectedRevision;
    }

    /// <summary>The queue's name.</summary>
    public string Queue { get; }

    /// <summary>The message's id.</summary>
    public Guid MessageId { get; }

    /// <summary>The message's stored revision.</summary>
    public long ExpectedRevision { get; }
}
