namespace Annals.Storage.Providers;

/// <summary>
/// What a group of batches checks, by kind: the keys a store looks up to fill the <see cref="StoredState"/> that a
/// <see cref="CommitPlanner"/> decides the group from. Each kind is looked up only when the group needs it: an
/// append-only group needs its streams, its event ids and the head, and nothing of snapshots, states, checkpoints
/// or queues.
/// </summary>
/// <example>
/// <code>
/// var keys = new GroupKeys();
/// foreach (var batch in group)
/// {
///     keys.Add(batch);
/// }
///
/// var state = new StoredState { Head = ReadHead() };
/// foreach (var stream in keys.Streams)
/// {
///     if (ReadStream(stream) is { } head)
///     {
///         state.Streams[stream] = head;
///     }
/// }
/// // … event ids, snapshots, states, checkpoints, messages and conditions alike
/// </code>
/// </example>
public sealed class GroupKeys
{
    private readonly HashSet<StreamName> _streams = [];
    private readonly HashSet<Guid> _eventIds = [];
    private readonly HashSet<StreamName> _snapshots = [];
    private readonly HashSet<StreamName> _states = [];
    private readonly HashSet<string> _checkpoints = new(StringComparer.Ordinal);
    private readonly HashSet<MessageKey> _messages = [];
    private readonly HashSet<StreamName> _createdStates = [];
    private readonly HashSet<MessageKey> _createdMessages = [];
    private readonly List<AppendConditionOperation> _conditions = [];

    /// <summary>The streams appended to, truncated, deleted or snapshotted: load their <see cref="StoredState.Streams"/>.</summary>
    public IReadOnlyCollection<StreamName> Streams => _streams;

    /// <summary>The ids of the events appended: load where each is stored into <see cref="StoredState.EventIds"/>.</summary>
    public IReadOnlyCollection<Guid> EventIds => _eventIds;

    /// <summary>The streams whose snapshot is saved: load their <see cref="StoredState.SnapshotRevisions"/>.</summary>
    public IReadOnlyCollection<StreamName> Snapshots => _snapshots;

    /// <summary>The durable-state keys saved or deleted: load their <see cref="StoredState.StateVersions"/>.</summary>
    public IReadOnlyCollection<StreamName> States => _states;

    /// <summary>The consumers whose checkpoint is saved: load their <see cref="StoredState.Checkpoints"/>.</summary>
    public IReadOnlyCollection<string> Checkpoints => _checkpoints;

    /// <summary>The queued messages enqueued, rescheduled or removed: load their <see cref="StoredState.MessageRevisions"/>.</summary>
    public IReadOnlyCollection<MessageKey> Messages => _messages;

    /// <summary>
    /// The <see cref="States"/> that every operation of the group on them saves at version 1, which a store may presume
    /// absent without looking them up when its insert of such a row fails on a stored one (a unique key): it then looks
    /// every key up and decides the group again. A batch that fails holding one is decided again the same way, so its
    /// error is the one the stored row gives.
    /// </summary>
    public IReadOnlySet<StreamName> CreatedStates => _createdStates;

    /// <summary>The <see cref="Messages"/> that the group only enqueues, which a store may presume absent as <see cref="CreatedStates"/> tells.</summary>
    public IReadOnlySet<MessageKey> CreatedMessages => _createdMessages;

    /// <summary>Whether a batch touches a key of <see cref="CreatedStates"/> or <see cref="CreatedMessages"/>.</summary>
    /// <param name="operations">The batch's operations.</param>
    /// <returns>Whether its outcome may rest on a key presumed absent.</returns>
    public bool TouchesCreatedKey(BatchOperation[] operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            var touches = operation.Kind switch
            {
                OperationKind.SaveState => _createdStates.Contains(((SaveStateOperation)operation).Key),
                OperationKind.Enqueue => _createdMessages.Contains(new MessageKey(((EnqueueOperation)operation).Queue, ((EnqueueOperation)operation).MessageId)),
                _ => false,
            };
            if (touches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The append conditions, in order: load each one's <see cref="StoredState.ConditionConflicts"/>.</summary>
    public IReadOnlyList<AppendConditionOperation> Conditions => _conditions;

    /// <summary>Whether a batch enqueues a message: load <see cref="StoredState.QueueSequence"/>, and write it back after.</summary>
    public bool Enqueues { get; private set; }

    /// <summary>Whether a batch holds SQL work, which the store runs once the planner has decided its batch.</summary>
    public bool HasSqlWork { get; private set; }

    /// <summary>The keys of one batch.</summary>
    /// <param name="operations">The batch's operations, validated by <see cref="BatchValidator"/>.</param>
    /// <returns>The keys.</returns>
    public static GroupKeys For(BatchOperation[] operations)
    {
        var keys = new GroupKeys();
        keys.Add(operations);
        return keys;
    }

    /// <summary>Adds the keys of one batch of the group.</summary>
    /// <param name="operations">The batch's operations, validated by <see cref="BatchValidator"/>.</param>
    public void Add(BatchOperation[] operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            Add(operation);
        }
    }

    private void Add(BatchOperation operation)
    {
        switch (operation.Kind)
        {
            case OperationKind.Append:
                var append = (AppendOperation)operation;
                _streams.Add(append.Stream);
                for (var i = 0; i < append.Events.Count; i++)
                {
                    _eventIds.Add(append.Events[i].EventId);
                }

                break;
            case OperationKind.TruncateStream:
                _streams.Add(((TruncateStreamOperation)operation).Stream);
                break;
            case OperationKind.DeleteStream:
                // Deleting a stream removes its snapshot whatever it is: nothing of the snapshot is checked.
                _streams.Add(((DeleteStreamOperation)operation).Stream);
                break;
            case OperationKind.SaveSnapshot:
                var save = (SaveSnapshotOperation)operation;
                _streams.Add(save.Stream);
                _snapshots.Add(save.Stream);
                break;
            case OperationKind.DeleteSnapshot:
                // Always succeeds: nothing to check.
                break;
            case OperationKind.SaveState:
                var saveState = (SaveStateOperation)operation;
                Track(_states, _createdStates, saveState.Key, creates: saveState.Version == 1);
                break;
            case OperationKind.DeleteState:
                Track(_states, _createdStates, ((DeleteStateOperation)operation).Key, creates: false);
                break;
            case OperationKind.SaveCheckpoint:
                _checkpoints.Add(((SaveCheckpointOperation)operation).Consumer);
                break;
            case OperationKind.Enqueue:
                var enqueue = (EnqueueOperation)operation;
                Enqueues = true;
                Track(_messages, _createdMessages, new MessageKey(enqueue.Queue, enqueue.MessageId), creates: true);
                break;
            case OperationKind.Reschedule:
                var reschedule = (RescheduleOperation)operation;
                Track(_messages, _createdMessages, new MessageKey(reschedule.Queue, reschedule.MessageId), creates: false);
                break;
            case OperationKind.RemoveMessage:
                var remove = (RemoveMessageOperation)operation;
                Track(_messages, _createdMessages, new MessageKey(remove.Queue, remove.MessageId), creates: false);
                break;
            case OperationKind.AppendCondition:
                _conditions.Add((AppendConditionOperation)operation);
                break;
            case OperationKind.SqlWork:
                // Reads nothing of the store: its SQL is the caller's own.
                HasSqlWork = true;
                break;
            default:
                throw BatchValidator.UnknownKind(operation);
        }
    }

    // A key stays "created" only while every operation met on it creates it.
    private static void Track<TKey>(HashSet<TKey> keys, HashSet<TKey> created, TKey key, bool creates)
    {
        if (keys.Add(key) && creates)
        {
            created.Add(key);
        }
        else if (!creates)
        {
            created.Remove(key);
        }
    }
}
