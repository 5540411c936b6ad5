using Annals.Projections;
using Annals.Storage;

namespace Annals.Bench.Projections;

/// <summary>Starts a host with one counting projection, and waits for it without hanging on a faulted one.</summary>
internal static class ProjectionRun
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);

    /// <summary>A host, not yet started, with the projection under its name and options.</summary>
    public static ProjectionHost Host(IEventStore store, string name, CountingProjection projection, ProjectionOptions options)
    {
        var host = new ProjectionHost(store);
        host.Add(name, projection, options);
        return host;
    }

    /// <summary>Waits until the projection has handled every event up to <paramref name="position"/>.</summary>
    /// <exception cref="InvalidOperationException">The projection faulted: its SQL work failed every retry.</exception>
    public static Task ReachAsync(ProjectionHost host, string name, long position, CancellationToken cancellationToken) =>
        UntilAsync(host, name, host.WaitForPositionAsync(name, position, cancellationToken), cancellationToken);

    /// <summary>Waits for <paramref name="reached"/>, unless the projection faults first.</summary>
    /// <exception cref="InvalidOperationException">The projection faulted: its SQL work failed every retry.</exception>
    public static async Task UntilAsync(ProjectionHost host, string name, Task reached, CancellationToken cancellationToken)
    {
        // A faulted projection never gets there, so its state is looked at now and then.
        while (await Task.WhenAny(reached, Task.Delay(StatusEvery, cancellationToken)) != reached)
        {
            var status = await host.GetStatusAsync(name, cancellationToken);
            if (status.State == ProjectionState.Faulted)
            {
                throw new InvalidOperationException($"Projection {name} faulted at position {status.Position}: {status.LastError?.Message}", status.LastError);
            }
        }

        await reached;
    }
}
