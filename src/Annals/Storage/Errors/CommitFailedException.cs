namespace Annals.Storage;

/// <summary>
/// A batch failed for a reason no other Annals error names: a value its store's database or driver refused, or a fault
/// in the store. Nothing of the batch was stored; the batches committed beside it are not affected.
/// </summary>
public sealed class CommitFailedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="innerException">What failed.</param>
    public CommitFailedException(Exception innerException)
        : base(Describe(innerException), innerException)
    {
    }

    private static string Describe(Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return $"The batch could not be committed, so nothing of it was stored: {innerException.GetType().Name}: {innerException.Message}";
    }
}
