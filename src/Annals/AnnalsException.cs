namespace Annals;

/// <summary>The base of every error Annals raises on purpose.</summary>
public class AnnalsException : Exception
{
    /// <summary>Makes an error with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AnnalsException(string message)
        : base(message)
    {
    }

    /// <summary>Makes an error with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AnnalsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
