namespace Annals.Storage;

/// <summary>
/// Saves a stream's snapshot, replacing the stored one. Its revision must be newer than the stored
/// snapshot's and not beyond the stream's last revision, counting events appended in the same batch.
/// </summary>
public sealed class SaveSnapshotOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="revision">The revision of the last event folded into the snapshot.</param>
    /// <param name="type">The snapshot's type name.</param>
    /// <param name="data">The serialized state.</param>
    public SaveSnapshotOperation(StreamName stream, long revision, string type, ReadOnlyMemory<byte> data)
        : base(OperationKind.SaveSnapshot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        Stream = CheckStream(stream, nameof(stream));
        Revision = revision;
        Type = CheckName(type, NameKind.Type);
        Data = data;
    }

    /// <summary>The stream.</summary>
    public StreamName Stream { get; }

    /// <summary>The revision of the last event folded into the snapshot.</summary>
    public long Revision { get; }

    /// <summary>The snapshot's type name.</summary>
    public string Type { get; }

    /// <summary>The serialized state.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
