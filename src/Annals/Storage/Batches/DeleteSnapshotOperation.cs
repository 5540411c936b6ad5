namespace Annals.Storage;

/// <summary>Deletes a stream's snapshot; nothing happens if there is none.</summary>
public sealed class DeleteSnapshotOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="stream">The stream.</param>
    public DeleteSnapshotOperation(StreamName stream)
        : base(OperationKind.DeleteSnapshot)
    {
        Stream = CheckStream(stream, nameof(stream));
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }
}
