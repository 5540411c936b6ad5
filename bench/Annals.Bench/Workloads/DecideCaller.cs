using System.Diagnostics;
using Annals.Bench.Accounts;
using Annals.Bench.Data;
using Annals.Bench.Measuring;
using Annals.Deciders;
using Annals.Storage;

namespace Annals.Bench.Workloads;

/// <summary>One caller of the <c>decide</c> workload: sends its commands one after another, each a whole <see cref="TypedEventStore.DecideAsync{TCommand, TState, TEvent}(StreamName, IDecider{TCommand, TState, TEvent}, TCommand, DecideOptions?, CancellationToken)"/>.</summary>
internal sealed class DecideCaller(DecidePlan plan, DecideOptions options)
{
    public Latencies Latencies { get; } = new(plan.Measured.Length);

    /// <summary>Decisions that lost a race and were decided again; none is expected, since no two callers share a stream.</summary>
    public int Retries { get; private set; }

    public async Task WarmUpAsync(TypedEventStore store, CancellationToken cancellationToken)
    {
        foreach (var step in plan.WarmUp)
        {
            await DecideAsync(store, step, cancellationToken);
        }
    }

    public async Task RunAsync(TypedEventStore store, Task start, CancellationToken cancellationToken)
    {
        await start;
        foreach (var step in plan.Measured)
        {
            var started = Stopwatch.GetTimestamp();
            await DecideAsync(store, step, cancellationToken);
            Latencies.Add(started);
        }
    }

    private async Task DecideAsync(TypedEventStore store, DecidePlan.Step step, CancellationToken cancellationToken)
    {
        var decision = await store.DecideAsync(step.Stream, AccountDecider.Instance, step.Command, options, cancellationToken);
        Retries += decision.Attempts - 1;
    }
}
