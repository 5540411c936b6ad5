namespace Annals.Storage;

/// <summary>
/// A batch's SQL work (<see cref="CommitBatch.ExecuteSql"/>) threw. Nothing of the batch is stored; the
/// work's own error is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class SqlWorkFailedException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="innerException">What the work threw.</param>
    public SqlWorkFailedException(Exception innerException)
        : base(Describe(innerException), innerException)
    {
    }

    private static string Describe(Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return $"The batch's SQL work failed, so nothing of the batch was stored: {innerException.Message}";
    }
}
