namespace Annals.Storage;

/// <summary>Saves a key's durable state. The version must be the stored version + 1 (1 for a new key).</summary>
public sealed class SaveStateOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="key">The key.</param>
    /// <param name="version">The new version: the stored version + 1.</param>
    /// <param name="type">The state's type name.</param>
    /// <param name="data">The serialized state.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    public SaveStateOperation(StreamName key, long version, string type, ReadOnlyMemory<byte> data)
        : base(OperationKind.SaveState)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Key = CheckStream(key, nameof(key));
        Version = version;
        Type = CheckName(type, NameKind.Type);
        Data = data;
    }

    /// <summary>The key.</summary>
    public StreamName Key { get; }

    /// <summary>The new version.</summary>
    public long Version { get; }

    /// <summary>The state's type name.</summary>
    public string Type { get; }

    /// <summary>The serialized state.</summary>
    public ReadOnlyMemory<byte> Data { get; }
}
