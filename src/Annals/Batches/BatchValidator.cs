namespace Annals;

/// <summary>
/// The checks every store makes on a batch before any I/O: not empty, events within the size limit,
/// no event id twice, and no stream, key, checkpoint or message changed twice.
/// </summary>
/// <remarks>Public so that a backend outside this package validates exactly as Annals' own do.</remarks>
public static class BatchValidator
{
    /// <summary>Validates a batch and returns its operations as a stable array.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="maxEventBytes">The largest event allowed, data and metadata.</param>
    /// <returns>The operations, copied so later changes to the batch do not affect the commit.</returns>
    /// <exception cref="InvalidBatchException">The batch is empty or changes something twice.</exception>
    /// <exception cref="EventTooLargeException">An event is larger than <paramref name="maxEventBytes"/>.</exception>
    public static BatchOperation[] Validate(CommitBatch batch, int maxEventBytes)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var operations = batch.Operations.ToArray();
        if (operations.Length == 0)
        {
            throw new InvalidBatchException("the batch is empty");
        }

        // A batch of one operation cannot change anything twice, nor can one event repeat its own id: the common
        // single append skips the sets, and the others are made only when a kind of operation first needs one.
        var single = operations.Length == 1;
        HashSet<StreamName>? streams = null, snapshots = null, states = null;
        HashSet<Guid>? eventIds = null;
        HashSet<string>? checkpoints = null;
        HashSet<(string, Guid)>? messages = null;
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendOperation append:
                    if (append.Events.Count == 0)
                    {
                        throw new InvalidBatchException($"the append to '{append.Stream}' has no events");
                    }

                    if (!single && !IsFirst(ref streams, append.Stream))
                    {
                        throw StreamTwice(append.Stream);
                    }

                    var unique = single && append.Events.Count == 1;
                    foreach (var e in append.Events)
                    {
                        ArgumentNullException.ThrowIfNull(e, nameof(batch));
                        if (!unique && !IsFirst(ref eventIds, e.EventId))
                        {
                            throw new InvalidBatchException($"event id {e.EventId} appears more than once");
                        }

                        var size = e.Size;
                        if (size > maxEventBytes)
                        {
                            throw new EventTooLargeException(e.EventId, append.Stream, size, maxEventBytes);
                        }
                    }

                    break;
                case TruncateStreamOperation truncate:
                    if (!single && !IsFirst(ref streams, truncate.Stream))
                    {
                        throw StreamTwice(truncate.Stream);
                    }

                    break;
                case DeleteStreamOperation delete:
                    if (!single && !IsFirst(ref streams, delete.Stream))
                    {
                        throw StreamTwice(delete.Stream);
                    }

                    break;
                case SaveSnapshotOperation save:
                    if (!single && !IsFirst(ref snapshots, save.Stream))
                    {
                        throw SnapshotTwice(save.Stream);
                    }

                    break;
                case DeleteSnapshotOperation delete:
                    if (!single && !IsFirst(ref snapshots, delete.Stream))
                    {
                        throw SnapshotTwice(delete.Stream);
                    }

                    break;
                case SaveStateOperation save:
                    if (!single && !IsFirst(ref states, save.Key))
                    {
                        throw StateTwice(save.Key);
                    }

                    break;
                case DeleteStateOperation delete:
                    if (!single && !IsFirst(ref states, delete.Key))
                    {
                        throw StateTwice(delete.Key);
                    }

                    break;
                case SaveCheckpointOperation save:
                    if (!single && !IsFirst(ref checkpoints, save.Consumer, StringComparer.Ordinal))
                    {
                        throw new InvalidBatchException($"checkpoint '{save.Consumer}' is saved more than once");
                    }

                    break;
                case EnqueueOperation enqueue:
                    if (!single && !IsFirst(ref messages, (enqueue.Queue, enqueue.MessageId)))
                    {
                        throw MessageTwice(enqueue.Queue, enqueue.MessageId);
                    }

                    break;
                case RescheduleOperation reschedule:
                    if (!single && !IsFirst(ref messages, (reschedule.Queue, reschedule.MessageId)))
                    {
                        throw MessageTwice(reschedule.Queue, reschedule.MessageId);
                    }

                    break;
                case RemoveMessageOperation remove:
                    if (!single && !IsFirst(ref messages, (remove.Queue, remove.MessageId)))
                    {
                        throw MessageTwice(remove.Queue, remove.MessageId);
                    }

                    break;
                case AppendConditionOperation:
                case SqlWorkOperation:
                    // Neither changes an item the store tracks, so neither can change one twice.
                    break;
                default:
                    throw new InvalidBatchException($"the operation {operation.GetType().Name} is not one this store knows");
            }
        }

        return operations;
    }

    /// <summary>Adds the item to the set, made on first use; false when it was there already.</summary>
    private static bool IsFirst<T>(ref HashSet<T>? seen, T item, IEqualityComparer<T>? comparer = null)
    {
        seen ??= new HashSet<T>(comparer);
        return seen.Add(item);
    }

    private static InvalidBatchException StreamTwice(StreamName stream) =>
        new($"stream '{stream}' is appended to, truncated or deleted more than once");

    private static InvalidBatchException SnapshotTwice(StreamName stream) =>
        new($"the snapshot of '{stream}' is changed more than once");

    private static InvalidBatchException StateTwice(StreamName key) =>
        new($"state '{key}' is changed more than once");

    private static InvalidBatchException MessageTwice(string queue, Guid messageId) =>
        new($"message {messageId} in queue '{queue}' is changed more than once");
}
