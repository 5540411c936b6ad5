namespace Annals.Storage;

/// <summary>A store opened for reading does not exist (no such file, database or schema).</summary>
public sealed class StoreNotFoundException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="store">Where the store was looked for: a file path, or a database and schema.</param>
    /// <param name="message">What was missing.</param>
    public StoreNotFoundException(string store, string message)
        : base(message)
    {
        Store = store;
    }

    /// <summary>Where the store was looked for.</summary>
    public string Store { get; }
}
