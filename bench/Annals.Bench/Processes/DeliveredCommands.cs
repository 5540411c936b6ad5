using System.Diagnostics;
using Annals.Bench.Projections;
using Annals.Processes;

namespace Annals.Bench.Processes;

/// <summary>
/// The command handler of a run: counts the commands delivered to it, tells <see cref="DeliveryTimes"/> (live) when the
/// command of each measured event arrived, and completes <see cref="All"/> once the expected count is reached.
/// </summary>
internal sealed class DeliveredCommands(long expected, DeliveryTimes? times = null)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _count;

    /// <summary>Commands delivered so far (a delivery repeated after a failure counts again; none is expected).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>The <see cref="Stopwatch"/> time the expected count was reached.</summary>
    public long CompletedAt { get; private set; }

    /// <summary>Completes when the expected count is reached.</summary>
    public Task All => expected <= 0 ? Task.CompletedTask : _all.Task;

    /// <summary>Adds the handler to the routes.</summary>
    public void Route(CommandRoutes routes) => routes.ToHandler<Acknowledge>(Handle);

    private ValueTask Handle(Acknowledge command, CommandDelivery delivery, CancellationToken cancellationToken)
    {
        times?.Delivered(Guid.Parse(delivery.CausationId));
        if (Interlocked.Increment(ref _count) == expected)
        {
            CompletedAt = Stopwatch.GetTimestamp();
            _all.TrySetResult();
        }

        return ValueTask.CompletedTask;
    }
}
