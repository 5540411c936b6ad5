using Annals.Processes;
using Annals.Projections;
using Annals.Storage;

namespace Annals.Bench.Processes;

/// <summary>Starts a host with the bench process, and waits for it without hanging on a faulted one.</summary>
internal static class ProcessRun
{
    private static readonly TimeSpan StatusEvery = TimeSpan.FromSeconds(1);

    /// <summary>A host, not yet started, with the process under its name, its commands routed to <paramref name="delivered"/>.</summary>
    public static ProcessHost Host(IEventStore store, string name, BenchProcess process, DeliveredCommands delivered, ProcessOptions options)
    {
        var host = new ProcessHost(store, BenchProcessTypes.Codec());
        delivered.Route(host.Routes);
        host.Add(name, process, options);
        return host;
    }

    /// <summary>Waits until the process has handled every event up to <paramref name="position"/>.</summary>
    public static Task ReachAsync(ProcessHost host, string name, ProcessFailures failures, long position, CancellationToken cancellationToken) =>
        UntilAsync(host, name, failures, host.WaitForPositionAsync(name, position, cancellationToken), cancellationToken);

    /// <summary>Waits for <paramref name="reached"/>, unless the process's event side faults or a command is parked first.</summary>
    /// <remarks>The status is read only after a failure: it counts both queues, work the measured process need not share.</remarks>
    /// <exception cref="InvalidOperationException">The process faulted, or parked a command.</exception>
    public static async Task UntilAsync(ProcessHost host, string name, ProcessFailures failures, Task reached, CancellationToken cancellationToken)
    {
        while (await Task.WhenAny(reached, Task.Delay(StatusEvery, cancellationToken)) != reached)
        {
            if (!failures.Any)
            {
                continue;
            }

            var status = await host.GetStatusAsync(name, cancellationToken);
            if (status.Events.State == ProjectionState.Faulted)
            {
                throw new InvalidOperationException($"Process {name} faulted at position {status.Events.Position}: {status.Events.LastError?.Message}", status.Events.LastError);
            }

            if (status.Parked > 0)
            {
                throw new InvalidOperationException($"Process {name} parked {status.Parked} commands or timeouts.");
            }
        }

        await reached;
    }

    /// <summary>
    /// The process's status once its last delivered command has been removed from the queue: a delivery reaches the
    /// handler before its message's removal commits, so the last one may still be pending for a moment.
    /// </summary>
    public static async Task<ProcessStatus> SettledStatusAsync(ProcessHost host, string name, CancellationToken cancellationToken)
    {
        for (var tries = 0; ; tries++)
        {
            var status = await host.GetStatusAsync(name, cancellationToken);
            if (status.PendingCommands == 0 || tries >= 100)
            {
                return status;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
