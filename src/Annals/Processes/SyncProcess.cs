using Annals.Storage;

namespace Annals.Processes;

/// <summary>A synchronous process, run as the asynchronous variant.</summary>
/// <typeparam name="TState">The state.</typeparam>
internal sealed class SyncProcess<TState>(IProcess<TState> process) : IAsyncProcess<TState>
{
    public EventFilter Filter => process.Filter;

    public TState InitialState => process.InitialState;

    public ProcessRoute Route(object @event) => process.Route(@event);

    public ValueTask<ProcessStep<TState>> HandleAsync(TState state, object message, ProcessContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(process.Handle(state, message, context));

    public ValueTask OnNotFoundAsync(object @event, ProcessContext context, CancellationToken cancellationToken)
    {
        process.OnNotFound(@event, context);
        return ValueTask.CompletedTask;
    }
}
