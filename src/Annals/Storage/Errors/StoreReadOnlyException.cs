namespace Annals.Storage;

/// <summary>A write was attempted on a store opened read-only.</summary>
public sealed class StoreReadOnlyException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="store">The store's description, such as its file path.</param>
    public StoreReadOnlyException(string store)
        : base($"The store '{store}' was opened read-only; open it for writing to commit.")
    {
        Store = store;
    }

    /// <summary>The store's description, such as its file path.</summary>
    public string Store { get; }
}
