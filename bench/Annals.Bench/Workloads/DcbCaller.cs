using System.Diagnostics;
using Annals.Bench.Courses;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Deciders;

namespace Annals.Bench.Workloads;

/// <summary>One caller of the <c>decide-dcb</c> workload: sends its subscriptions one after another, each a whole decision over its query, retries included.</summary>
internal sealed class DcbCaller(DcbPlan plan, DecideOptions options)
{
    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Measured decisions that lost a race and were decided again, one for each extra attempt.</summary>
    public long Conflicts { get; private set; }

    /// <summary>Measured subscriptions stored.</summary>
    public long Accepted { get; private set; }

    /// <summary>Measured subscriptions the rules refused (an empty decision).</summary>
    public long Refused { get; private set; }

    /// <summary>Warm-up subscriptions stored, which the check after the run counts too.</summary>
    public long AcceptedInWarmUp { get; private set; }

    public async Task WarmUpAsync(TypedEventStore store, CancellationToken cancellationToken)
    {
        foreach (var command in plan.WarmUp)
        {
            var decision = await DecideAsync(store, command, cancellationToken);
            AcceptedInWarmUp += decision.Events.Count;
        }
    }

    public async Task RunAsync(TypedEventStore store, Task start, CancellationToken cancellationToken)
    {
        await start;
        foreach (var command in plan.Measured)
        {
            var started = Stopwatch.GetTimestamp();
            var decision = await DecideAsync(store, command, cancellationToken);
            Latencies.Add(started);
            Conflicts += decision.Attempts - 1;
            if (decision.Events.Count == 0)
            {
                Refused++;
            }
            else
            {
                Accepted++;
            }
        }
    }

    // The query and the decider are made per command, as an application would make them from the command it received.
    private Task<QueryDecision<SubscriptionState, CourseEvent>> DecideAsync(TypedEventStore store, SubscribeStudent command, CancellationToken cancellationToken) =>
        store.DecideAsync(
            CourseNames.Subscription(command.Course, command.Student),
            new SubscriptionDecider(command.Course, command.Student),
            command,
            CourseNames.Place,
            options,
            cancellationToken);
}
