namespace Annals.Storage;

/// <summary>
/// An optimistic expectation of a batch did not hold, so the whole batch was rejected and nothing
/// was stored. Read again, decide again, and retry.
/// </summary>
public abstract class ConcurrencyException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="message">Which operation failed, with the expected and the actual value.</param>
    protected ConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Makes the error with its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    protected ConcurrencyException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
