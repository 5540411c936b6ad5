using Annals.Projections;
using Annals.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annals.Samples.Bank.Health;

/// <summary>The store answers: its head position can be read.</summary>
public sealed class StoreHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var head = await services.GetRequiredService<IEventStore>().GetHeadPositionAsync(cancellationToken);
            return HealthCheckResult.Healthy($"head position {head}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "the store cannot be read", e);
        }
    }
}

/// <summary>Every projection runs: Unhealthy when one has faulted.</summary>
public sealed class ProjectionsHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = await services.GetRequiredService<ProjectionHost>().GetStatusesAsync(cancellationToken);
        var data = statuses.ToDictionary(s => s.Name, s => (object)$"{s.State} at {s.Position}, lag {s.LagEvents}");
        var faulted = statuses.Where(s => s.State == ProjectionState.Faulted).ToList();
        return faulted.Count == 0
            ? HealthCheckResult.Healthy($"{statuses.Count} projections", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"faulted: {string.Join(", ", faulted.Select(s => $"{s.Name} ({s.LastError?.Message})"))}", data: data);
    }
}
