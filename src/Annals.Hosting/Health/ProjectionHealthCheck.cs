using Annals.Projections;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annals.Hosting;

/// <summary>
/// Whether a projection keeps up: healthy when live within the store's <see cref="AnnalsHealthOptions.MaxProjectionLag"/>
/// (or standing by while another process holds its lease), degraded while it catches up, lags further, is paused, is
/// rebuilding or is stopped, and failing when it is faulted. A partitioned projection is as well as its worst partition.
/// </summary>
internal sealed class ProjectionHealthCheck(StoreRuntime? runtime, string storeName, string projection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (runtime is not { IsOpen: true })
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Projection '{projection}' is not running: {StoreNames.Describe(storeName)} is not open.");
        }

        IReadOnlyList<ProjectionStatus> statuses;
        try
        {
            statuses = [.. (await runtime.Projections.GetStatusesAsync(cancellationToken).ConfigureAwait(false)).Where(IsOfThisProjection)];
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The status of projection '{projection}' cannot be read: {e.Message}", e);
        }

        if (statuses.Count == 0)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Projection '{projection}' is not on the projection host of {StoreNames.Describe(storeName)}.");
        }

        var maxLag = runtime.Options.Health.MaxProjectionLag;
        return statuses.Select(s => Judge(s, maxLag, context.Registration.FailureStatus)).OrderBy(r => r.Status).First();
    }

    internal static HealthCheckResult Judge(ProjectionStatus status, TimeSpan maxLag, HealthStatus failureStatus)
    {
        var data = new Dictionary<string, object>
        {
            ["state"] = status.State.ToString(),
            ["position"] = status.Position,
            ["lagEvents"] = status.LagEvents,
            ["lagSeconds"] = status.LagSeconds,
            ["parkedEvents"] = status.ParkedEvents,
        };
        var lag = TimeSpan.FromSeconds(status.LagSeconds);
        return status.State switch
        {
            ProjectionState.Faulted => new HealthCheckResult(failureStatus, $"Projection '{status.Name}' is faulted at position {status.Position}: {status.LastError?.Message ?? "no error recorded"}", status.LastError, data),
            ProjectionState.Live when lag <= maxLag => HealthCheckResult.Healthy($"Projection '{status.Name}' is live at position {status.Position}, {status.LagSeconds:0.#} s behind.", data),
            ProjectionState.Live => HealthCheckResult.Degraded($"Projection '{status.Name}' is live but {status.LagSeconds:0.#} s behind, more than the {maxLag.TotalSeconds:0.#} s allowed.", status.LastError, data),
            ProjectionState.WaitingForLease => HealthCheckResult.Healthy($"Projection '{status.Name}' stands by: another process holds its lease.", data),
            _ => HealthCheckResult.Degraded($"Projection '{status.Name}' is {Describe(status.State)} at position {status.Position}, {status.LagEvents} events and {status.LagSeconds:0.#} s behind.", status.LastError, data),
        };
    }

    private static string Describe(ProjectionState state) => state switch
    {
        ProjectionState.CatchingUp => "catching up",
        ProjectionState.Paused => "paused",
        ProjectionState.Rebuilding => "rebuilding",
        _ => state.ToString().ToLowerInvariant(),
    };

    /// <summary>The projection itself, or a partition of it (<c>&lt;name&gt;/p&lt;k&gt;</c>).</summary>
    private bool IsOfThisProjection(ProjectionStatus status) =>
        status.Name == projection || (status.Name.StartsWith(projection, StringComparison.Ordinal) && status.Name.AsSpan(projection.Length).StartsWith("/p"));
}
