using Annals.Leases;
using Annals.Storage;

namespace Annals.Projections;

/// <summary>
/// This process's membership of a partitioned projection's consumer group. A member holds one of the group's member
/// slots (a lease per slot, so a dead member's slot lapses like any lease) and counts the live slots to know its fair
/// share of partitions: the partitions divided by the members, rounded up. Its partition runners take partitions only
/// up to that share and give the surplus back when members join, so the partitions spread over the members.
/// </summary>
internal sealed class GroupMembership
{
    private readonly string _name;
    private readonly int _partitions;
    private readonly ILeaseManager _leases;
    private readonly ProjectionHostOptions _options;
    private readonly TimeProvider _time;
    private readonly HashSet<int> _held = [];
    private readonly Lock _gate = new();
    private int _members = 1;
    private bool _isMember;

    public GroupMembership(string name, int partitions, ILeaseManager leases, ProjectionHostOptions options, TimeProvider time)
    {
        _name = name;
        _partitions = partitions;
        _leases = leases;
        _options = options;
        _time = time;
    }

    /// <summary>Whether a partition runner may take its partition's lease now.</summary>
    public bool MayTake()
    {
        lock (_gate)
        {
            return _held.Count < Share;
        }
    }

    /// <summary>Whether this partition should be given back: this member holds more than its share, and this is the highest it holds.</summary>
    public bool ShouldGiveBack(int partition)
    {
        lock (_gate)
        {
            return _held.Count > Share && _held.Max() == partition;
        }
    }

    /// <summary>The most partitions this member should hold now: its rounded-up part, none until it holds a member slot. Under the lock.</summary>
    private int Share => _isMember ? (_partitions + _members - 1) / _members : 0;

    public void Took(int partition)
    {
        lock (_gate)
        {
            _held.Add(partition);
        }
    }

    public void GaveBack(int partition)
    {
        lock (_gate)
        {
            _held.Remove(partition);
        }
    }

    /// <summary>Holds a member slot and recounts the members every third of the lease duration, until stopped.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Lease? slot = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    slot = slot is null ? await TakeSlotAsync(cancellationToken).ConfigureAwait(false) : await _leases.RenewAsync(slot, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
                    var members = await CountAsync(cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _isMember = slot is not null;
                        _members = Math.Max(1, members);
                    }
                }
                catch (Exception e) when (e is LeaseLostException or StoreUnavailableException)
                {
                    slot = null;
                    lock (_gate)
                    {
                        _isMember = false;
                    }
                }

                await Task.Delay(_options.LeaseDuration / 3, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            lock (_gate)
            {
                _isMember = false;
            }

            if (slot is not null)
            {
                await ProjectionLeases.ReleaseOrLetLapseAsync(_leases, slot, _options.LeaseDuration, _time).ConfigureAwait(false);
            }
        }
    }

    private string SlotName(int slot) => $"{ProjectionLeases.Prefix}{_name}/m{slot}";

    /// <summary>The lowest free member slot; none when every slot is taken (more members than partitions: this one waits).</summary>
    private async Task<Lease?> TakeSlotAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _partitions; i++)
        {
            if (await _leases.TryAcquireAsync(SlotName(i), _options.Owner, _options.LeaseDuration, cancellationToken).ConfigureAwait(false) is { } slot)
            {
                return slot;
            }
        }

        return null;
    }

    private async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        var members = 0;
        for (var i = 0; i < _partitions; i++)
        {
            if (await _leases.ReadAsync(SlotName(i), cancellationToken).ConfigureAwait(false) is not null)
            {
                members++;
            }
        }

        return members;
    }
}
