using Annals.Leases;
using Annals.Projections;
using Microsoft.Extensions.Logging;

namespace Annals.Processes;

/// <summary>
/// Runs a process's deliveries only while this owner holds the lease <c>process:&lt;name&gt;</c>, so one process in a
/// cluster delivers a process's commands and timeouts, and another takes over within a lease's duration when it dies.
/// </summary>
internal static class DeliveryLease
{
    public const string Prefix = "process:";

    public static async Task RunAsync(IProcessRunner runner, ProjectionHostOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var leases = options.Leases!;
        var name = Prefix + runner.Name;
        var logged = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await leases.TryAcquireAsync(name, options.Owner, options.LeaseDuration, cancellationToken).ConfigureAwait(false) is not { } lease)
            {
                if (!logged)
                {
                    ProcessLog.WaitingForLease(logger, runner.Name);
                    logged = true;
                }

                await Task.Delay(options.LeaseDuration / 3, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            logged = false;
            ProcessLog.LeaseTaken(logger, runner.Name, options.Owner);
            using var owned = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var keeping = KeepAsync(leases, lease, options, time, logger, runner.Name, owned);
            try
            {
                await runner.RunAsync(owned.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (owned.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The lease was lost: wait for it again.
            }
            finally
            {
                await owned.CancelAsync().ConfigureAwait(false);
                await keeping.ConfigureAwait(false);
                await ProjectionLeases.ReleaseOrLetLapseAsync(leases, lease, options.LeaseDuration, time).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Renews the lease every third of its duration; when a renewal fails, the deliveries stop before the lease can lapse.</summary>
    private static async Task KeepAsync(ILeaseManager leases, Lease lease, ProjectionHostOptions options, TimeProvider time, ILogger logger, string process, CancellationTokenSource owned)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.LeaseDuration / 3, time, owned.Token).ConfigureAwait(false);
                using var timer = new CancellationTokenSource(options.LeaseDuration / 3, time);
                using var patience = CancellationTokenSource.CreateLinkedTokenSource(owned.Token, timer.Token);
                lease = await leases.RenewAsync(lease, options.LeaseDuration, patience.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (owned.IsCancellationRequested)
        {
            // The deliveries ended.
        }
        catch (Exception e)
        {
            ProcessLog.LeaseLost(logger, process, lease.Owner, e);
            await owned.CancelAsync().ConfigureAwait(false);
        }
    }
}
