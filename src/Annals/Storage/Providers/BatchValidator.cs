using System.Diagnostics;

namespace Annals.Storage.Providers;

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
            switch (operation.Kind)
            {
                case OperationKind.Append:
                    var append = (AppendOperation)operation;
                    if (append.Events.Count == 0)
                    {
                        throw new InvalidBatchException($"the append to '{append.Stream}' has no events");
                    }

                    Once(ref streams, append.Stream, single, StreamTwice);
                    var unique = single && append.Events.Count == 1;
                    foreach (var e in append.Events)
                    {
                        ArgumentNullException.ThrowIfNull(e, nameof(batch));
                        Once(ref eventIds, e.EventId, unique, static id => new InvalidBatchException($"event id {id} appears more than once"));
                        var size = e.Size;
                        if (size > maxEventBytes)
                        {
                            throw new EventTooLargeException(e.EventId, append.Stream, size, maxEventBytes);
                        }
                    }

                    break;
                case OperationKind.TruncateStream:
                    Once(ref streams, ((TruncateStreamOperation)operation).Stream, single, StreamTwice);
                    break;
                case OperationKind.DeleteStream:
                    Once(ref streams, ((DeleteStreamOperation)operation).Stream, single, StreamTwice);
                    break;
                case OperationKind.SaveSnapshot:
                    Once(ref snapshots, ((SaveSnapshotOperation)operation).Stream, single, SnapshotTwice);
                    break;
                case OperationKind.DeleteSnapshot:
                    Once(ref snapshots, ((DeleteSnapshotOperation)operation).Stream, single, SnapshotTwice);
                    break;
                case OperationKind.SaveState:
                    Once(ref states, ((SaveStateOperation)operation).Key, single, StateTwice);
                    break;
                case OperationKind.DeleteState:
                    Once(ref states, ((DeleteStateOperation)operation).Key, single, StateTwice);
                    break;
                case OperationKind.SaveCheckpoint:
                    Once(ref checkpoints, ((SaveCheckpointOperation)operation).Consumer, single, static c => new InvalidBatchException($"checkpoint '{c}' is saved more than once"));
                    break;
                case OperationKind.Enqueue:
                    var enqueue = (EnqueueOperation)operation;
                    Once(ref messages, (enqueue.Queue, enqueue.MessageId), single, MessageTwice);
                    break;
                case OperationKind.Reschedule:
                    var reschedule = (RescheduleOperation)operation;
                    Once(ref messages, (reschedule.Queue, reschedule.MessageId), single, MessageTwice);
                    break;
                case OperationKind.RemoveMessage:
                    var remove = (RemoveMessageOperation)operation;
                    Once(ref messages, (remove.Queue, remove.MessageId), single, MessageTwice);
                    break;
                case OperationKind.AppendCondition:
                case OperationKind.SqlWork:
                    // Neither changes an item the store tracks, so neither can change one twice.
                    break;
                default:
                    throw UnknownKind(operation);
            }
        }

        return operations;
    }

    /// <summary>
    /// Records the item in its set, made on first use, and throws what <paramref name="twice"/> makes when it is there
    /// already. An item that <paramref name="cannotRepeat"/> (the batch's only one) needs no set. The message is made
    /// only for a failing batch.
    /// </summary>
    private static void Once<T>(ref HashSet<T>? seen, T item, bool cannotRepeat, Func<T, InvalidBatchException> twice)
    {
        if (!cannotRepeat && !(seen ??= []).Add(item))
        {
            throw twice(item);
        }
    }

    /// <summary>The error for an operation whose kind a switch over <see cref="OperationKind"/> does not handle: a kind added without updating it.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The error to throw.</returns>
    internal static UnreachableException UnknownKind(BatchOperation operation) =>
        new($"The operation kind {operation.Kind} ({operation.GetType().Name}) is not handled here.");

    private static InvalidBatchException StreamTwice(StreamName stream) =>
        new($"stream '{stream}' is appended to, truncated or deleted more than once");

    private static InvalidBatchException SnapshotTwice(StreamName stream) =>
        new($"the snapshot of '{stream}' is changed more than once");

    private static InvalidBatchException StateTwice(StreamName key) =>
        new($"state '{key}' is changed more than once");

    private static InvalidBatchException MessageTwice((string Queue, Guid MessageId) message) =>
        new($"message {message.MessageId} in queue '{message.Queue}' is changed more than once");
}
