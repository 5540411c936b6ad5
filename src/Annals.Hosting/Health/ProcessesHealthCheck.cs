using Annals.Processes;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annals.Hosting;

/// <summary>
/// Whether a store's process managers keep up: each judged as a projection by its event side (faulted fails; catching up,
/// lagging or paused is degraded), and degraded while it has parked commands or timeouts waiting for a replay. The check is
/// as well as its worst process.
/// </summary>
internal sealed class ProcessesHealthCheck(StoreRuntime? runtime, string storeName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (runtime is not { IsOpen: true })
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The processes of {StoreNames.Describe(storeName)} are not running: the store is not open.");
        }

        var results = new List<HealthCheckResult>();
        foreach (var name in runtime.Processes.Processes)
        {
            ProcessStatus status;
            try
            {
                status = await runtime.Processes.GetStatusAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"The status of process '{name}' cannot be read: {e.Message}", e);
            }

            var judged = ProjectionHealthCheck.Judge(status.Events, runtime.Options.Health.MaxProjectionLag, context.Registration.FailureStatus);
            results.Add(status.Parked > 0 && judged.Status == HealthStatus.Healthy
                ? HealthCheckResult.Degraded($"Process '{name}' has {status.Parked} parked commands or timeouts: list them with `annals parked list process:{name}`.", data: judged.Data)
                : judged);
        }

        return results.Count == 0
            ? HealthCheckResult.Healthy($"No process runs on {StoreNames.Describe(storeName)}.")
            : results.OrderBy(r => r.Status).First();
    }
}
