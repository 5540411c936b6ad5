using Annals.Storage;

namespace Annals.Leases;

/// <summary>
/// Leases: at most one live owner per name, across threads, processes and machines, so that
/// single-owner work (a projection, a process manager) runs once.
/// </summary>
/// <remarks>
/// <para>
/// A lease is live until its <see cref="Lease.ExpiresAt"/>, measured by the manager's clock (the
/// database server's <c>now()</c> for PostgreSQL, so the owners' clocks do not matter). While it
/// is live, only its owner can acquire it again; once it lapses or is released, any owner can.
/// An owner that dies, or cannot reach the database, loses its lease within the lease duration:
/// renew at a fraction of it (a third, say), timed by the local clock from when the last
/// acquisition or renewal returned, and stop the guarded work when a renewal fails, or when a
/// whole duration has passed on the local clock since the last successful call was made.
/// </para>
/// <para>
/// Every acquisition starts a new tenure with a higher <see cref="Lease.Token"/> (the fencing
/// token), also when the same owner acquires its own live lease again; renewing and releasing
/// need the current tenure (name, owner and token), so a tenure that ended cannot touch its
/// successor.
/// </para>
/// </remarks>
public interface ILeaseManager
{
    /// <summary>
    /// Acquires the lease <paramref name="name"/> for <paramref name="owner"/> if it is free, has
    /// lapsed, or is already held by the same owner; atomically, so of owners racing for it exactly one wins.
    /// </summary>
    /// <param name="name">The lease's name (consumer-name rules: <c>[A-Za-z0-9_.:/-]{1,200}</c>).</param>
    /// <param name="owner">Who asks: 1 to 200 characters, no control characters; unique per running instance.</param>
    /// <param name="duration">How long the lease lives unless renewed, from now on the manager's clock: 1 ms to 1 day.</param>
    /// <param name="cancellationToken">Cancels the call; the lease may have been acquired all the same.</param>
    /// <returns>The new tenure, or <see langword="null"/> when another owner holds the lease and it has not lapsed.</returns>
    /// <exception cref="InvalidNameException">The name is malformed (<see cref="InvalidNameException.Kind"/> is <see cref="NameKind.Consumer"/>).</exception>
    /// <exception cref="ArgumentException">The owner is empty, too long or has control characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is out of range.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    ValueTask<Lease?> TryAcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Acquires the lease as <see cref="TryAcquireAsync"/> does, or fails naming who holds it.</summary>
    /// <param name="name">The lease's name (consumer-name rules: <c>[A-Za-z0-9_.:/-]{1,200}</c>).</param>
    /// <param name="owner">Who asks: 1 to 200 characters, no control characters; unique per running instance.</param>
    /// <param name="duration">How long the lease lives unless renewed, from now on the manager's clock: 1 ms to 1 day.</param>
    /// <param name="cancellationToken">Cancels the call; the lease may have been acquired all the same.</param>
    /// <returns>The new tenure.</returns>
    /// <exception cref="StoreLockedException">
    /// Another owner holds the lease and it has not lapsed; <see cref="StoreLockedException.Resource"/>
    /// is the lease's name and the message names the holder, its token and when the lease lapses.
    /// </exception>
    /// <exception cref="InvalidNameException">The name is malformed (<see cref="InvalidNameException.Kind"/> is <see cref="NameKind.Consumer"/>).</exception>
    /// <exception cref="ArgumentException">The owner is empty, too long or has control characters.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is out of range.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    ValueTask<Lease> AcquireAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends a tenure to <paramref name="duration"/> from now, keeping its token. It succeeds
    /// while nobody else acquired the lease since, also after it lapsed: its token then still
    /// proves no other tenure came in between.
    /// </summary>
    /// <param name="lease">The tenure to extend, as the last acquisition or renewal returned it.</param>
    /// <param name="duration">How long the lease lives from now on the manager's clock: 1 ms to 1 day.</param>
    /// <param name="cancellationToken">Cancels the call; the lease may have been renewed all the same.</param>
    /// <returns>The tenure with its new expiry.</returns>
    /// <exception cref="LeaseLostException">The tenure ended: the lease was released or acquired again since.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is out of range.</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    ValueTask<Lease> RenewAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends a tenure at once, so any owner can acquire the lease without waiting for it to lapse.
    /// The name keeps its token count: the next acquisition gets a higher token.
    /// </summary>
    /// <param name="lease">The tenure to end.</param>
    /// <param name="cancellationToken">Cancels the call; the lease may have been released all the same.</param>
    /// <returns>
    /// <see langword="true"/> when the tenure was current and is now ended; <see langword="false"/>
    /// when it had already ended (released, or acquired again), in which case nothing changes.
    /// </returns>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Reads who holds a lease now.</summary>
    /// <param name="name">The lease's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The live tenure, or <see langword="null"/> when the lease is free (never acquired, released or lapsed).</returns>
    /// <exception cref="InvalidNameException">The name is malformed (<see cref="InvalidNameException.Kind"/> is <see cref="NameKind.Consumer"/>).</exception>
    /// <exception cref="StoreUnavailableException">The store cannot be reached.</exception>
    ValueTask<Lease?> ReadAsync(string name, CancellationToken cancellationToken = default);
}
