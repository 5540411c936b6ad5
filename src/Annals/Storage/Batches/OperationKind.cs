namespace Annals.Storage;

/// <summary>
/// The kind of a <see cref="BatchOperation"/>: one value per operation type, so that code handling operations
/// switches over every kind and fails loudly on one it does not know, rather than skipping it.
/// </summary>
public enum OperationKind
{
    /// <summary>An <see cref="AppendOperation"/>.</summary>
    Append = 1,

    /// <summary>An <see cref="AppendConditionOperation"/>.</summary>
    AppendCondition,

    /// <summary>A <see cref="TruncateStreamOperation"/>.</summary>
    TruncateStream,

    /// <summary>A <see cref="DeleteStreamOperation"/>.</summary>
    DeleteStream,

    /// <summary>A <see cref="SaveSnapshotOperation"/>.</summary>
    SaveSnapshot,

    /// <summary>A <see cref="DeleteSnapshotOperation"/>.</summary>
    DeleteSnapshot,

    /// <summary>A <see cref="SaveStateOperation"/>.</summary>
    SaveState,

    /// <summary>A <see cref="DeleteStateOperation"/>.</summary>
    DeleteState,

    /// <summary>A <see cref="SaveCheckpointOperation"/>.</summary>
    SaveCheckpoint,

    /// <summary>An <see cref="EnqueueOperation"/>.</summary>
    Enqueue,

    /// <summary>A <see cref="RescheduleOperation"/>.</summary>
    Reschedule,

    /// <summary>A <see cref="RemoveMessageOperation"/>.</summary>
    RemoveMessage,

    /// <summary>A <see cref="SqlWorkOperation"/>.</summary>
    SqlWork,
}
