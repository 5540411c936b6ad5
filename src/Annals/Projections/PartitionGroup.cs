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

    /// <summary>Stops the membership and waits until it has let go of its slot; a second call waits too.</summary>
    public async Task StopAsync()
    {
        var stop = Interlocked.Exchange(ref _stop, null);
        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        await _membership.ConfigureAwait(false);
        stop?.Dispose();
    }
}
