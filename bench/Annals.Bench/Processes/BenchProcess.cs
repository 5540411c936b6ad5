using Annals.Processes;
using Annals.Storage;

namespace Annals.Bench.Processes;

/// <summary>
/// The process under test: one instance per event (its <c>reference</c>, unique per event), started by it; each step
/// stores the instance's state, sends one command and schedules one timeout a year ahead.
/// </summary>
/// <remarks>
/// <see cref="IProcess{TState}.Route"/> sees only the decoded event, and the prepared payloads do not name their stream,
/// so the instance is keyed by the event's reference rather than its stream: every event starts a new instance.
/// </remarks>
/// <param name="stepped">Called with each event as its step is decided, before the batch's commit (live: delivery times).</param>
/// <param name="filter">The events it listens to; all of them when <see langword="null"/>.</param>
internal sealed class BenchProcess(Action<RecordedEvent>? stepped = null, EventFilter? filter = null) : IProcess<TransferState>
{
    public const string TargetCategory = "bench-ack";

    private static readonly TimeSpan TimeoutAfter = TimeSpan.FromDays(365);

    public EventFilter Filter => filter ?? EventFilter.All;

    public TransferState InitialState { get; } = new(string.Empty, 0);

    public ProcessRoute Route(object @event) =>
        @event is PreparedEvent e ? ProcessRoute.Start(e.Reference) : ProcessRoute.Ignore;

    public ProcessStep<TransferState> Handle(TransferState state, object message, ProcessContext context)
    {
        var e = (PreparedEvent)message;
        if (context.Event is { } record)
        {
            stepped?.Invoke(record);
        }

        return ProcessStep.With(new TransferState(e.Account, e.Amount))
            .Send(StreamName.For(TargetCategory, e.Reference), new Acknowledge(e.Reference))
            .Schedule("expire", context.Now + TimeoutAfter, new Expire(e.Reference));
    }
}
