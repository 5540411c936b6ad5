using System.Globalization;
using Annals.Processes;
using Annals.Storage;

namespace Annals.TestWorker.Jobs;

/// <summary>
/// The process the <c>process</c> worker runs: a job's <see cref="Requested"/> starts its instance, which sends one
/// <see cref="Perform"/> and schedules its expiry a day ahead; each <see cref="Progressed"/> counts and schedules the
/// expiry again (replacing the pending one); <see cref="Finished"/> ends it. Each step prints
/// <c>HANDLE &lt;job&gt; &lt;event type&gt; &lt;position&gt; .</c>, then holds for a while, so that a kill at the line
/// lands in the middle of the batch, before its commit.
/// </summary>
internal sealed class JobProcess(WorkerOutput output, TimeSpan hold) : IAsyncProcess<JobState>
{
    public EventFilter Filter { get; } = EventFilter.ForCategories(JobDomain.Category);

    public JobState InitialState => new(string.Empty, 0);

    public ProcessRoute Route(object @event) => @event switch
    {
        Requested r => ProcessRoute.Start(r.Job),
        Progressed p => ProcessRoute.To(p.Job),
        Finished f => ProcessRoute.To(f.Job),
        _ => ProcessRoute.Ignore,
    };

    public async ValueTask<ProcessStep<JobState>> HandleAsync(JobState state, object message, ProcessContext context, CancellationToken cancellationToken)
    {
        output.Say(string.Create(CultureInfo.InvariantCulture, $"HANDLE {context.InstanceId} {message.GetType().Name} {context.Event?.Position ?? 0}"));
        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, cancellationToken).ConfigureAwait(false);
        }

        var expiry = context.Now.AddDays(1);
        return message switch
        {
            Requested r => ProcessStep.With(new JobState(r.Job, 1))
                .Send(StreamName.For("work", r.Job), new Perform(r.Job))
                .Schedule(JobDomain.Timeout, expiry, new Expire(r.Job)),
            Progressed p => ProcessStep.With(state with { Handled = state.Handled + 1 })
                .Schedule(JobDomain.Timeout, expiry, new Expire(p.Job)),
            Finished => ProcessStep.With(state with { Handled = state.Handled + 1 }).End(),
            _ => ProcessStep.With(state),
        };
    }
}
