namespace Annals.Storage;

/// <summary>Saves the position a named consumer has processed up to, if the stored one is the expected one.</summary>
public sealed class SaveCheckpointOperation : BatchOperation
{
    /// <summary>Makes the operation.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="position">The position processed up to, 0 or more.</param>
    /// <param name="expectedPosition">The stored position, or <see langword="null"/> when none is stored yet.</param>
    public SaveCheckpointOperation(string consumer, long position, long? expectedPosition)
        : base(OperationKind.SaveCheckpoint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (expectedPosition is { } e)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(e, nameof(expectedPosition));
        }

        Consumer = CheckName(consumer, NameKind.Consumer);
        Position = position;
        ExpectedPosition = expectedPosition;
    }

    /// <summary>The consumer's name.</summary>
    public string Consumer { get; }

    /// <summary>The position processed up to.</summary>
    public long Position { get; }

    /// <summary>The stored position expected, or <see langword="null"/> for none.</summary>
    public long? ExpectedPosition { get; }
}
