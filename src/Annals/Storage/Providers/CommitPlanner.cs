namespace Annals.Storage.Providers;

/// <summary>
/// Decides a group of batches exactly as the storage contract says, in order, in memory, against what the store
/// holds of the keys they check, and gathers the net effect of those that succeed. A store then writes that effect in
/// one transaction: load (<see cref="GroupKeys"/>, <see cref="StoredState"/>), plan (<see cref="Decide"/> each batch),
/// write (<see cref="Writes"/>).
/// </summary>
/// <remarks>
/// <para>
/// Each batch sees the store as the batches decided before it leave it: an append continues after the events an
/// earlier batch of the group appended, a checkpoint is compared with the one it saved. A batch that fails is undone
/// and changes nothing its neighbours see or the store writes. Positions are assigned from the head + 1 in the order
/// batches are decided; every timestamp is the time the planner was made with.
/// </para>
/// <para>
/// A batch holding SQL work (<see cref="SqlWorkOperation"/>) is decided without it: when the decision says
/// <see cref="BatchDecision.RunsSqlWork"/>, the store runs the works in the commit's transaction, and if one fails,
/// undoes what they did and calls <see cref="UndoLast"/>, which forgets the batch as if it had failed.
/// </para>
/// <para>
/// Not thread-safe: one planner decides one group, on one thread.
/// </para>
/// </remarks>
public sealed partial class CommitPlanner
{
    private readonly StoredState _state;
    private readonly DateTimeOffset _now;
    private readonly Func<Guid, AppendReplay.StoredEvent?> _findEvent;
    private bool _replayed;
    private bool _hasSqlWork;

    /// <summary>Makes a planner for one group.</summary>
    /// <param name="state">What the store holds of the keys the group checks; the planner keeps it up to date.</param>
    /// <param name="now">The commit's time, from the store's clock: the timestamp of everything the group writes.</param>
    public CommitPlanner(StoredState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
        _now = now;
        _findEvent = FindEvent;
        Writes = new GroupWrites(state, now);
    }

    /// <summary>What the store holds, as the batches decided so far leave it.</summary>
    public StoredState State => _state;

    /// <summary>The net effect of the batches decided so far that succeed: what the store writes.</summary>
    public GroupWrites Writes { get; }

    /// <summary>
    /// Whether the planner can decide a batch from the state it was given. It cannot decide an append condition once
    /// the group has removed stored events (a truncate or delete): the state's <see cref="StoredState.ConditionConflicts"/>
    /// may count one of them. The store commits such a batch in a later group, loaded afresh.
    /// </summary>
    /// <param name="operations">The batch's operations.</param>
    /// <returns><see langword="true"/> when <see cref="Decide"/> may be called with the batch.</returns>
    public bool CanDecide(BatchOperation[] operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return !_removedStoredEvents || !HasCondition(operations);
    }

    /// <summary>Decides one batch: its result, with its effect added to <see cref="Writes"/>; or the error it fails with, and nothing of it kept.</summary>
    /// <param name="operations">The batch's operations, validated by <see cref="BatchValidator"/>, whose keys the state was loaded for.</param>
    /// <returns>The decision.</returns>
    /// <exception cref="InvalidOperationException">The planner cannot decide the batch: see <see cref="CanDecide"/>.</exception>
    public BatchDecision Decide(BatchOperation[] operations)
    {
        if (!CanDecide(operations))
        {
            throw new InvalidOperationException("The batch has an append condition, and the group has removed stored events the condition's stored conflict may count: decide it in a later group.");
        }

        _undo.Clear();
        _replayed = false;
        _hasSqlWork = false;
        try
        {
            var result = Apply(operations);
            return BatchDecision.Success(result, _replayed, _hasSqlWork && !_replayed);
        }
        catch (AnnalsException e)
        {
            UndoLast();
            return BatchDecision.Failure(e);
        }
        catch
        {
            // Not a decision, a fault: leave the group as the batches before this one left it.
            UndoLast();
            throw;
        }
    }

    /// <summary>
    /// Forgets the batch decided last, as if it had failed: its SQL work failed after it was decided. Call it before
    /// deciding the next batch; after a batch that failed, there is nothing left to forget.
    /// </summary>
    public void UndoLast()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i].Undo();
        }

        _undo.Clear();
    }

    private CommitResult Apply(BatchOperation[] operations)
    {
        // Conditions first: they judge the store as the batches before this one leave it, not this batch's appends.
        foreach (var operation in operations)
        {
            if (operation.Kind == OperationKind.AppendCondition)
            {
                CheckCondition((AppendConditionOperation)operation);
            }
        }

        // Stream operations next: snapshot checks count this batch's appends, wherever they stand in it.
        List<AppendResult>? appends = null;
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case OperationKind.Append:
                    (appends ??= new(operations.Length)).Add(Append((AppendOperation)operation));
                    break;
                case OperationKind.TruncateStream:
                    var truncate = (TruncateStreamOperation)operation;
                    Truncate(truncate.Stream, truncate.Expected, truncate.BeforeRevision, delete: false);
                    break;
                case OperationKind.DeleteStream:
                    var delete = (DeleteStreamOperation)operation;
                    Truncate(delete.Stream, delete.Expected, long.MaxValue, delete: true);
                    break;
            }
        }

        // Every kind is named here, so that one added later fails rather than being skipped.
        foreach (var operation in operations)
        {
            switch (operation.Kind)
            {
                case OperationKind.AppendCondition:
                case OperationKind.Append:
                case OperationKind.TruncateStream:
                case OperationKind.DeleteStream:
                    // Decided above.
                    break;
                case OperationKind.SaveSnapshot:
                    SaveSnapshot((SaveSnapshotOperation)operation);
                    break;
                case OperationKind.DeleteSnapshot:
                    SetSnapshot(((DeleteSnapshotOperation)operation).Stream, null);
                    break;
                case OperationKind.SaveState:
                    SaveState((SaveStateOperation)operation);
                    break;
                case OperationKind.DeleteState:
                    DeleteState((DeleteStateOperation)operation);
                    break;
                case OperationKind.SaveCheckpoint:
                    SaveCheckpoint((SaveCheckpointOperation)operation);
                    break;
                case OperationKind.Enqueue:
                    Enqueue((EnqueueOperation)operation);
                    break;
                case OperationKind.Reschedule:
                    Reschedule((RescheduleOperation)operation);
                    break;
                case OperationKind.RemoveMessage:
                    RemoveMessage((RemoveMessageOperation)operation);
                    break;
                case OperationKind.SqlWork:
                    // Nothing to decide: the store runs the work once the batch is decided.
                    _hasSqlWork = true;
                    break;
                default:
                    throw BatchValidator.UnknownKind(operation);
            }
        }

        return new CommitResult((IReadOnlyList<AppendResult>?)appends ?? []);
    }

    private static bool HasCondition(BatchOperation[] operations)
    {
        foreach (var operation in operations)
        {
            if (operation.Kind == OperationKind.AppendCondition)
            {
                return true;
            }
        }

        return false;
    }
}
