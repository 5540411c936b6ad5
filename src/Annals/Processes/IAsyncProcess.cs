using Annals.Storage;

namespace Annals.Processes;

/// <summary>A process manager whose steps may call out (a lookup, a validation service); otherwise as <see cref="IProcess{TState}"/>.</summary>
/// <typeparam name="TState">An instance's state.</typeparam>
/// <remarks>
/// A step may run more than once for one event (a retry after a failed commit, a crash before the commit): what it calls
/// out to must be safe to ask twice. Only what it returns is stored, once.
/// </remarks>
public interface IAsyncProcess<TState>
{
    /// <inheritdoc cref="IProcess{TState}.Filter"/>
    EventFilter Filter { get; }

    /// <inheritdoc cref="IProcess{TState}.InitialState"/>
    TState InitialState { get; }

    /// <inheritdoc cref="IProcess{TState}.Route"/>
    ProcessRoute Route(object @event);

    /// <summary>Decides what an event, or one of the instance's own timeouts, does to an instance.</summary>
    /// <param name="state">The instance's state.</param>
    /// <param name="message">The event, or the timeout's payload.</param>
    /// <param name="context">The instance, the time, and what is being handled.</param>
    /// <param name="cancellationToken">Cancelled when the process stops.</param>
    /// <returns>The step.</returns>
    ValueTask<ProcessStep<TState>> HandleAsync(TState state, object message, ProcessContext context, CancellationToken cancellationToken);

    /// <inheritdoc cref="IProcess{TState}.OnNotFound"/>
    ValueTask OnNotFoundAsync(object @event, ProcessContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
