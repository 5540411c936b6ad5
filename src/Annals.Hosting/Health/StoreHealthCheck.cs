using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annals.Hosting;

/// <summary>Whether a store is open and answers a cheap read (its head position).</summary>
internal sealed class StoreHealthCheck(StoreRuntime? runtime, string storeName) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (runtime is null)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{StoreNames.Describe(storeName)} was not added: call AddAnnals for it.");
        }

        if (!runtime.IsOpen)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{StoreNames.Describe(storeName)} is not open: the host has not started, or has stopped.");
        }

        try
        {
            var head = await runtime.Store.GetHeadPositionAsync(cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object> { ["backend"] = runtime.Store.GetType().Name, ["headPosition"] = head };
            return HealthCheckResult.Healthy($"{StoreNames.Describe(storeName)} is reachable; its log is at position {head}.", data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{StoreNames.Describe(storeName)} is unreachable: {e.Message}", e);
        }
    }
}
