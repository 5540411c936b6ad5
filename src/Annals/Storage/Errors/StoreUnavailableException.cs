namespace Annals.Storage;

/// <summary>
/// The storage could not be reached or written (I/O error, disk full, connection lost). The
/// operation may not have taken effect; retrying a commit is safe because event ids make appends
/// idempotent.
/// </summary>
public sealed class StoreUnavailableException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The provider's error.</param>
    public StoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
