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

        var streams = new HashSet<StreamName>();
        var eventIds = new HashSet<Guid>();
        var snapshots = new HashSet<StreamName>();
        var states = new HashSet<StreamName>();
        var checkpoints = new HashSet<string>(StringComparer.Ordinal);
        var messages = new HashSet<(string, Guid)>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AppendOperation append:
                    if (append.Events.Count == 0)
                    {
                        throw new InvalidBatchException($"the append to '{append.Stream}' has no events");
                    }

                    Once(streams, append.Stream, $"stream '{append.Stream}' is appended to, truncated or deleted more than once");
                    foreach (var e in append.Events)
                    {
                        ArgumentNullException.ThrowIfNull(e, nameof(batch));
                        Once(eventIds, e.EventId, $"event id {e.EventId} appears more than once");
                        var size = e.Size;
                        if (size > maxEventBytes)
                        {
                            throw new EventTooLargeException(e.EventId, append.Stream, size, maxEventBytes);
                        }
                    }

                    break;
                case TruncateStreamOperation truncate:
                    Once(streams, truncate.Stream, $"stream '{truncate.Stream}' is appended to, truncated or deleted more than once");
                    break;
                case DeleteStreamOperation delete:
                    Once(streams, delete.Stream, $"stream '{delete.Stream}' is appended to, truncated or deleted more than once");
                    break;
                case SaveSnapshotOperation save:
                    Once(snapshots, save.Stream, $"the snapshot of '{save.Stream}' is changed more than once");
                    break;
                case DeleteSnapshotOperation delete:
                    Once(snapshots, delete.Stream, $"the snapshot of '{delete.Stream}' is changed more than once");
                    break;
                case SaveStateOperation save:
                    Once(states, save.Key, $"state '{save.Key}' is changed more than once");
                    break;
                case DeleteStateOperation delete:
                    Once(states, delete.Key, $"state '{delete.Key}' is changed more than once");
                    break;
                case SaveCheckpointOperation save:
                    Once(checkpoints, save.Consumer, $"checkpoint '{save.Consumer}' is saved more than once");
                    break;
                case EnqueueOperation enqueue:
                    Once(messages, (enqueue.Queue, enqueue.MessageId), $"message {enqueue.MessageId} in queue '{enqueue.Queue}' is changed more than once");
                    break;
                case RescheduleOperation reschedule:
                    Once(messages, (reschedule.Queue, reschedule.MessageId), $"message {reschedule.MessageId} in queue '{reschedule.Queue}' is changed more than once");
                    break;
                case RemoveMessageOperation remove:
                    Once(messages, (remove.Queue, remove.MessageId), $"message {remove.MessageId} in queue '{remove.Queue}' is changed more than once");
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

    private static void Once<T>(HashSet<T> seen, T item, string reason)
    {
        if (!seen.Add(item))
        {
            throw new InvalidBatchException(reason);
        }
    }
}
