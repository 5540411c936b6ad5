using Annals.Storage;
using Annals.Storage.Providers;

namespace Annals.Leases;

/// <summary>
/// A base for lease managers: it checks every argument the same way for all backends, before any
/// I/O, builds the errors, and leaves the storage work to the <c>Core</c> members.
/// </summary>
public abstract class LeaseManagerBase : ILeaseManager
{
    /// <summary>How many times <see cref="AcquireAsync"/> tries when the lease keeps being freed between its refusal and the look-up of the holder.</summary>
    private const int AcquireAttempts = 8;

    /// <summary>The longest owner name accepted.</summary>
    public const int MaxOwnerLength = 200;

    /// <summary>The shortest lease duration accepted: 1 ms.</summary>
    public static TimeSpan MinDuration { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// The longest lease duration accepted: 1 day. A lease guards live work that renews it; a
    /// longer one would keep a dead owner's work stopped for that long.
    /// </summary>
    public static TimeSpan MaxDuration { get; } = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValueTask<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        CheckAcquire(name, owner, duration);
        cancellationToken.ThrowIfCancellationRequested();
        return TryAcquireCoreAsync(name, owner, duration, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<Lease> AcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        CheckAcquire(name, owner, duration);
        for (var attempt = 0; attempt < AcquireAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lease = await TryAcquireCoreAsync(name, owner, duration, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                return lease;
            }

            // Refused: name the holder. Between the two calls the holder may have released the
            // lease or let it lapse; then it is worth trying again.
            var holder = await ReadCoreAsync(name, cancellationToken).ConfigureAwait(false);
            if (holder is not null)
            {
                throw new StoreLockedException(
                    name,
                    $"The lease '{name}' is held by '{holder.Owner}' (token {holder.Token}) until {holder.ExpiresAt:O}; it can be acquired once it lapses or is released.");
            }
        }

        throw new StoreLockedException(name, $"The lease '{name}' changed hands {AcquireAttempts} times while '{owner}' tried to acquire it; try again.");
    }

    /// <inheritdoc />
    public async ValueTask<Lease> RenewAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        CheckDuration(duration);
        cancellationToken.ThrowIfCancellationRequested();
        var renewed = await RenewCoreAsync(lease, duration, cancellationToken).ConfigureAwait(false);
        if (renewed is not null)
        {
            return renewed;
        }

        var holder = await ReadCoreAsync(lease.Name, cancellationToken).ConfigureAwait(false);
        throw new LeaseLostException(lease, holder);
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        cancellationToken.ThrowIfCancellationRequested();
        return ReleaseCoreAsync(lease, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<Lease?> ReadAsync(string name, CancellationToken cancellationToken = default)
    {
        NameChecks.Consumer(name);
        cancellationToken.ThrowIfCancellationRequested();
        return ReadCoreAsync(name, cancellationToken);
    }

    /// <summary>
    /// Atomically acquires the lease when it is free, lapsed or held by <paramref name="owner"/>,
    /// with the next token and an expiry of now plus <paramref name="duration"/>.
    /// </summary>
    /// <param name="name">The lease's name, already checked.</param>
    /// <param name="owner">The owner, already checked.</param>
    /// <param name="duration">The duration, already checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new tenure, or <see langword="null"/> when another owner holds a live lease.</returns>
    protected abstract ValueTask<Lease?> TryAcquireCoreAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Sets the expiry of the tenure to now plus <paramref name="duration"/> if it is still current (same owner and token).</summary>
    /// <param name="lease">The tenure.</param>
    /// <param name="duration">The duration, already checked.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The renewed tenure, or <see langword="null"/> when it is no longer current.</returns>
    protected abstract ValueTask<Lease?> RenewCoreAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Ends the tenure if it is still current (same owner and token), keeping the name's token count.</summary>
    /// <param name="lease">The tenure.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether the tenure was current.</returns>
    protected abstract ValueTask<bool> ReleaseCoreAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>Reads the live tenure of a lease.</summary>
    /// <param name="name">The lease's name, already checked.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The live tenure, or <see langword="null"/> when the lease is free.</returns>
    protected abstract ValueTask<Lease?> ReadCoreAsync(string name, CancellationToken cancellationToken);

    private static void CheckAcquire(string name, string owner, TimeSpan duration)
    {
        NameChecks.Consumer(name);
        ArgumentNullException.ThrowIfNull(owner);
        if (owner.Length is 0 or > MaxOwnerLength || NameRules.CheckMetadataKey(owner) is not null)
        {
            throw new ArgumentException($"The lease owner '{owner}' is invalid: use 1 to {MaxOwnerLength} characters of well-formed text, none of them control or format characters.", nameof(owner));
        }

        CheckDuration(duration);
    }

    private static void CheckDuration(TimeSpan duration)
    {
        if (duration < MinDuration || duration > MaxDuration)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, $"A lease duration must be from {MinDuration} to {MaxDuration}.");
        }
    }
}
