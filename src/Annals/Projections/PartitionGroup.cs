namespace Annals.Projections;

/// <summary>A partitioned projection in one host: its partitions' names and this process's group membership, if shared through leases.</summary>
internal sealed class PartitionGroup(GroupMembership? membership, IReadOnlyList<string> partitions)
{
    private CancellationTokenSource? _stop;
    private Task _membership = Task.CompletedTask;

    public IReadOnlyList<string> Partitions { get; } = partitions;

    public void Start()
    {
        if (membership is null || _stop is not null)
        {
            return;
        }

        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _membership = Task.Run(() => membership.RunAsync(stop), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _membership.ConfigureAwait(false);
        _stop.Dispose();
        _stop = null;
    }
}
