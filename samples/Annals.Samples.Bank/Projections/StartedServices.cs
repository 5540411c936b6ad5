using Microsoft.Extensions.Hosting;

namespace Annals.Samples.Bank.Projections;

/// <summary>
/// The open store's services (the store, the entity engine), for a projection. Projections are made, and start, while
/// the store opens, before those services resolve; they are resolved here once the host has started.
/// </summary>
public sealed class StartedServices(IServiceProvider services, IHostApplicationLifetime lifetime)
{
    public async ValueTask<T> GetAsync<T>(CancellationToken cancellationToken)
        where T : notnull
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
            await started.Task.WaitAsync(cancellationToken);
        }

        return services.GetRequiredService<T>();
    }
}
