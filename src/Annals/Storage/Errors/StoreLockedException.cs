namespace Annals.Storage;

/// <summary>The store is owned by another writer (another process, or another store object on the same file or lease).</summary>
public sealed class StoreLockedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="resource">What is locked: a file path or a lease name.</param>
    /// <param name="message">Who holds it and what to do, when known.</param>
    /// <param name="innerException">The cause.</param>
    public StoreLockedException(string resource, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Resource = resource;
    }

    /// <summary>What is locked: a file path or a lease name.</summary>
    public string Resource { get; }
}
