namespace Annals.Storage;

/// <summary>
/// An open store lost the lock that kept other openers out (its session with the server ended, for instance when the
/// server restarted), so another opener may have opened it since. The store refuses to write; dispose it and open it
/// again.
/// </summary>
public sealed class StoreLockLostException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="store">The store that lost its lock: a schema or a file.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">Why the lock was lost, when known.</param>
    public StoreLockLostException(string store, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Store = store;
    }

    /// <summary>The store that lost its lock: a schema or a file.</summary>
    public string Store { get; }
}
