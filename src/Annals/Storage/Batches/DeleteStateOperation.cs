namespace Annals.Storage;

/// <summary>Deletes a key's durable state, if it is at the expected version.</summary>
public sealed class DeleteStateOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="key">The key.</param>
    /// <param name="expectedVersion">The stored version, 1 or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expectedVersion"/> is less than 1.</exception>
    public DeleteStateOperation(StreamName key, long expectedVersion)
        : base(OperationKind.DeleteState)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, 1);
        Key = CheckStream(key, nameof(key));
        ExpectedVersion = expectedVersion;
    }

    /// <summary>The key.</summary>
    public StreamName Key { get; }

    /// <summary>The stored version.</summary>
    public long ExpectedVersion { get; }
}
