namespace Annals.Storage;

/// <summary>A durable-state save or delete did not carry the version the store expected.</summary>
public sealed class WrongExpectedVersionException : ConcurrencyException
{
    /// <summary>Makes the error.</summary>
    /// <param name="key">The state's key.</param>
    /// <param name="expected">The stored version the operation assumed (0 for none).</param>
    /// <param name="actual">The stored version (0 for none).</param>
    public WrongExpectedVersionException(StreamName key, long expected, long actual)
        : base($"State '{key}' was expected at version {expected} but is at version {actual}.")
    {
        Key = key;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The state's key.</summary>
    public StreamName Key { get; }

    /// <summary>The stored version the operation assumed (0 for none).</summary>
    public long Expected { get; }

    /// <summary>The stored version (0 for none).</summary>
    public long Actual { get; }
}
