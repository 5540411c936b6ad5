using Microsoft.Extensions.Hosting;

namespace Annals.Hosting;

/// <summary>
/// Opens a store before any hosted service starts and closes it after every one has stopped, so that the application's
/// own services (a web server among them) find the store open in their start and stop. Its constructor does no I/O.
/// </summary>
internal sealed class StoreLifecycle(StoreRuntime runtime) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => runtime.OpenAsync(cancellationToken);

    /// <summary>Opens the store too, for a caller that starts hosted services without the lifecycle steps; does nothing when it is open.</summary>
    public Task StartAsync(CancellationToken cancellationToken) => runtime.OpenAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => runtime.CloseAsync(cancellationToken);
}
