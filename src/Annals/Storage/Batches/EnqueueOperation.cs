namespace Annals.Storage;

/// <summary>Adds a message to a queue, due at a time. Fails if the queue already holds a message with the id.</summary>
public sealed class EnqueueOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="queue">The queue's name.</param>
    /// <param name="messageId">The message's id, unique within the queue.</param>
    /// <param name="type">The message's type name.</param>
    /// <param name="data">The message's data.</param>
    /// <param name="dueAt">When it is due.</param>
    /// <param name="metadata">Optional metadata.</param>
    public EnqueueOperation(string queue, Guid messageId, string type, ReadOnlyMemory<byte> data, DateTimeOffset dueAt, IReadOnlyDictionary<string, string>? metadata = null)
        : base(OperationKind.Enqueue)
    {
        if (messageId == Guid.Empty)
        {
            throw new ArgumentException("A message id must not be Guid.Empty.", nameof(messageId));
        }

        Queue = CheckName(queue, NameKind.Queue);
        MessageId = messageId;
        Type = CheckName(type, NameKind.Type);
        Data = data;
        DueAt = dueAt;
        Metadata = FrozenMetadata.From(metadata, nameof(metadata));
    }

    /// <summary>The queue's name.</summary>
    public string Queue { get; }

    /// <summary>The message's id.</summary>
    public Guid MessageId { get; }

    /// <summary>The message's type name.</summary>
    public string Type { get; }

    /// <summary>The message's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>When it is due.</summary>
    public DateTimeOffset DueAt { get; }

    /// <summary>The message's metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
}
