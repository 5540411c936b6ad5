using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Annals.Hosting;

/// <summary>
/// Adds a store's checks when the health check service is first built: by then every projection of the store is
/// registered, whichever of <c>AddAnnals</c> and <c>AddHealthChecks().AddAnnals</c> came first.
/// </summary>
internal sealed class AnnalsHealthRegistrations(StoreSetups setups, string storeName, IReadOnlyList<string> tags) : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        options.Registrations.Add(new HealthCheckRegistration(
            HealthCheckNames.Store(storeName),
            sp => new StoreHealthCheck(sp.GetKeyedService<StoreRuntime>(storeName), storeName),
            failureStatus: null,
            tags));

        if (!setups.TryGet(storeName, out var setup))
        {
            return;
        }

        if (setup.Processes.Count > 0)
        {
            options.Registrations.Add(new HealthCheckRegistration(
                HealthCheckNames.Processes(storeName),
                sp => new ProcessesHealthCheck(sp.GetKeyedService<StoreRuntime>(storeName), storeName),
                failureStatus: null,
                tags));
        }

        foreach (var projection in setup.Projections)
        {
            options.Registrations.Add(new HealthCheckRegistration(
                HealthCheckNames.Projection(storeName, projection.Name),
                sp => new ProjectionHealthCheck(sp.GetKeyedService<StoreRuntime>(storeName), storeName, projection.Name),
                failureStatus: null,
                tags));
        }
    }
}
