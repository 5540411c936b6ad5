namespace Annals.Leases;

/// <summary>
/// A lease could not be renewed because its tenure has ended: it was released, or it lapsed and
/// was acquired again (by another owner, or by the same owner under a new token). Stop the work it
/// guarded; acquire the lease again to resume.
/// </summary>
public sealed class LeaseLostException : AnnalsException
{
    /// <summary>Makes the error.</summary>
    /// <param name="lease">The tenure that ended.</param>
    /// <param name="currentHolder">The tenure that holds the lease now, or <see langword="null"/> when it is free.</param>
    public LeaseLostException(Lease lease, Lease? currentHolder)
        : base(Describe(lease, currentHolder))
    {
        Lease = lease;
        CurrentHolder = currentHolder;
    }

    /// <summary>The tenure that ended.</summary>
    public Lease Lease { get; }

    /// <summary>The tenure that holds the lease now, or <see langword="null"/> when it is free.</summary>
    public Lease? CurrentHolder { get; }

    private static string Describe(Lease lease, Lease? holder)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var now = holder is null
            ? "it was released or acquired again since, and is free now"
            : $"'{holder.Owner}' holds it now (token {holder.Token})";
        return $"The lease '{lease.Name}' held by '{lease.Owner}' (token {lease.Token}) is lost: {now}.";
    }
}
