using Annals.Serialization;
using Annals.Storage;

namespace Annals.Orleans.LogConsistency;

/// <summary>Which failures of the store are worth another attempt.</summary>
internal static class StoreFaults
{
    /// <summary>
    /// Whether another attempt cannot cure the failure: the data or the batch is wrong, or the store is closed. The
    /// adaptor retries everything else, as Orleans' providers do, since a lost connection or a timeout passes.
    /// </summary>
    public static bool IsPermanent(Exception e) => e
        is EventDecodingException
        or UnregisteredTypeException
        or EventTooLargeException
        or InvalidBatchException
        or BatchNotAtomicException
        or InvalidNameException
        or StoreReadOnlyException
        or CorruptDataException
        or ObjectDisposedException
        or OperationCanceledException
        or ArgumentException
        or OutOfMemoryException;
}
