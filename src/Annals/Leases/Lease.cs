namespace Annals.Leases;

/// <summary>
/// One tenure of a lease: the right of <see cref="Owner"/> to do the work named <see cref="Name"/>
/// until <see cref="ExpiresAt"/>, unless it renews the lease first.
/// </summary>
/// <param name="Name">The lease's name (consumer-name rules: <c>[A-Za-z0-9_.:/-]{1,200}</c>).</param>
/// <param name="Owner">Who holds it, as given when it was acquired.</param>
/// <param name="Token">
/// The fencing token: 1 for the first acquisition of a name, and higher on every later acquisition
/// (by any owner, also the same one, also after a release), never reused. Renewals keep it. Work
/// done under a lease can carry it so that writes of an older tenure are told apart and refused.
/// </param>
/// <param name="ExpiresAt">
/// When the lease lapses unless renewed, on the lease manager's clock (the database server's for
/// PostgreSQL): compare it with that clock, not the local one.
/// </param>
public sealed record Lease(string Name, string Owner, long Token, DateTimeOffset ExpiresAt);
