namespace Annals.Storage;

/// <summary>A checkpoint save expected a previous position other than the stored one.</summary>
public sealed class CheckpointConflictException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="consumer">The consumer's name.</param>
    /// <param name="expected">The previous position expected, or <see langword="null"/> for none.</param>
    /// <param name="actual">The stored position, or <see langword="null"/> for none.</param>
    public CheckpointConflictException(string consumer, long? expected, long? actual)
        : base($"Checkpoint '{consumer}' was expected {(expected is { } e ? $"at position {e}" : "not to exist")} but {(actual is { } a ? $"is at position {a}" : "does not exist")}.")
    {
        Consumer = consumer;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The consumer's name.</summary>
    public string Consumer { get; }

    /// <summary>The previous position expected, or <see langword="null"/> for none.</summary>
    public long? Expected { get; }

    /// <summary>The stored position, or <see langword="null"/> for none.</summary>
    public long? Actual { get; }
}
