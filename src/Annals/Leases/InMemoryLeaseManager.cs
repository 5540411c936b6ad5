namespace Annals.Leases;

/// <summary>
/// Leases in memory, with the semantics of every <see cref="ILeaseManager"/>, on an injected clock:
/// for tests (a fake <see cref="TimeProvider"/> lets leases lapse without waiting) and for several
/// workers of one process. Nothing survives the process.
/// </summary>
public sealed class InMemoryLeaseManager : LeaseManagerBase
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    // One entry per name ever acquired: released or lapsed entries stay, so tokens keep increasing.
    private readonly Dictionary<string, Entry> _leases = new(StringComparer.Ordinal);

    /// <summary>Makes a manager with no leases.</summary>
    /// <param name="timeProvider">The clock that decides when leases lapse; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InMemoryLeaseManager(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override ValueTask<Lease?> TryAcquireCoreAsync(string name, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var token = 1L;
            if (_leases.TryGetValue(name, out var current))
            {
                if (IsLive(current, now) && current.Owner != owner)
                {
                    return ValueTask.FromResult<Lease?>(null);
                }

                token = current.Token + 1;
            }

            var entry = new Entry(owner, token, now + duration);
            _leases[name] = entry;
            return ValueTask.FromResult<Lease?>(entry.ToLease(name));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<Lease?> RenewCoreAsync(Lease lease, TimeSpan duration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!IsCurrent(lease, out var current))
            {
                return ValueTask.FromResult<Lease?>(null);
            }

            var renewed = current with { ExpiresAt = _time.GetUtcNow() + duration };
            _leases[lease.Name] = renewed;
            return ValueTask.FromResult<Lease?>(renewed.ToLease(lease.Name));
        }
    }

    /// <inheritdoc />
    protected override ValueTask<bool> ReleaseCoreAsync(Lease lease, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!IsCurrent(lease, out var current))
            {
                return ValueTask.FromResult(false);
            }

            _leases[lease.Name] = current with { Released = true };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    protected override ValueTask<Lease?> ReadCoreAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var live = _leases.TryGetValue(name, out var current) && IsLive(current, _time.GetUtcNow());
            return ValueTask.FromResult(live ? current!.ToLease(name) : null);
        }
    }

    private static bool IsLive(Entry entry, DateTimeOffset now) => !entry.Released && now < entry.ExpiresAt;

    private bool IsCurrent(Lease lease, out Entry current) =>
        _leases.TryGetValue(lease.Name, out current!) && !current.Released && current.Owner == lease.Owner && current.Token == lease.Token;

    private sealed record Entry(string Owner, long Token, DateTimeOffset ExpiresAt, bool Released = false)
    {
        public Lease ToLease(string name) => new(name, Owner, Token, ExpiresAt);
    }
}
