namespace Annals.Storage;

/// <summary>Stored data could not be read back: a damaged file or a row that breaks the store's rules. Other data is unaffected.</summary>
public sealed class CorruptDataException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="message">What was found and where.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CorruptDataException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
