namespace Annals.Storage;

/// <summary>A batch cannot be committed as built (empty, or an item given twice). Raised before any I/O; nothing is stored.</summary>
public sealed class InvalidBatchException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="reason">What is wrong with the batch.</param>
    public InvalidBatchException(string reason)
        : base($"Invalid batch: {reason}.")
    {
        Reason = reason;
    }

    /// <summary>What is wrong with the batch.</summary>
    public string Reason { get; }
}
