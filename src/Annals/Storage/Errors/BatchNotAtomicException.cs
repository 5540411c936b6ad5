namespace Annals.Storage;

/// <summary>
/// The store cannot commit the batch atomically (see <see cref="StoreCapabilities"/>). Raised before any I/O; nothing
/// is stored. Split the batch the way the store's capabilities allow, or use a store that commits it whole.
/// </summary>
public sealed class BatchNotAtomicException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="reason">What the batch holds that the store cannot commit at once.</param>
    public BatchNotAtomicException(string reason)
        : base($"The store cannot commit this batch atomically: {reason}. Nothing was stored.")
    {
        Reason = reason;
    }

    /// <summary>What the batch holds that the store cannot commit at once.</summary>
    public string Reason { get; }
}
