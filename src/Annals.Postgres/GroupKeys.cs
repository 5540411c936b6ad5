namespace Annals.Postgres;

/// <summary>The rows a group of batches touches, gathered so the load looks up each kind only when the group needs it.</summary>
internal sealed class GroupKeys
{
    public GroupKeys(IEnumerable<PostgresWriter.PendingCommit> group)
    {
        foreach (var pending in group)
        {
            foreach (var operation in pending.Operations)
            {
                Add(operation);
            }
        }
    }

    public HashSet<string> Streams { get; } = new(StringComparer.Ordinal);

    public HashSet<Guid> EventIds { get; } = [];

    public HashSet<string> Snapshots { get; } = new(StringComparer.Ordinal);

    public HashSet<string> States { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Checkpoints { get; } = new(StringComparer.Ordinal);

    public HashSet<(string Queue, Guid Id)> Messages { get; } = [];

    public List<AppendConditionOperation> Conditions { get; } = [];

    /// <summary>Whether the group enqueues a message, which takes the next queue sequence number.</summary>
    public bool Enqueues { get; private set; }

    private void Add(BatchOperation operation)
    {
        switch (operation)
        {
            case AppendOperation append:
                Streams.Add(append.Stream.Value);
                foreach (var e in append.Events)
                {
                    EventIds.Add(e.EventId);
                }

                break;
            case TruncateStreamOperation truncate:
                Streams.Add(truncate.Stream.Value);
                break;
            case DeleteStreamOperation delete:
                Streams.Add(delete.Stream.Value);
                Snapshots.Add(delete.Stream.Value);
                break;
            case SaveSnapshotOperation save:
                Streams.Add(save.Stream.Value);
                Snapshots.Add(save.Stream.Value);
                break;
            case DeleteSnapshotOperation delete:
                Snapshots.Add(delete.Stream.Value);
                break;
            case SaveStateOperation save:
                States.Add(save.Key.Value);
                break;
            case DeleteStateOperation delete:
                States.Add(delete.Key.Value);
                break;
            case SaveCheckpointOperation save:
                Checkpoints.Add(save.Consumer);
                break;
            case EnqueueOperation enqueue:
                Enqueues = true;
                Messages.Add((enqueue.Queue, enqueue.MessageId));
                break;
            case RescheduleOperation reschedule:
                Messages.Add((reschedule.Queue, reschedule.MessageId));
                break;
            case RemoveMessageOperation remove:
                Messages.Add((remove.Queue, remove.MessageId));
                break;
            case AppendConditionOperation condition:
                Conditions.Add(condition);
                break;
            case SqlWorkOperation:
                // Reads nothing of the store: its SQL is the caller's own.
                break;
        }
    }
}
