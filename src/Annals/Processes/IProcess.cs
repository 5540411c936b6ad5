using Annals.Storage;

namespace Annals.Processes;

/// <summary>
/// A process manager: a long-running workflow that reacts to events, one instance per correlation (a transfer, an
/// order), each with durable state, the commands it sends and the timeouts it waits for. Pure and synchronous, like a
/// decider; <see cref="IAsyncProcess{TState}"/> is the variant for a step that must call out.
/// </summary>
/// <typeparam name="TState">An instance's state, serialized through the type registry as snapshots are.</typeparam>
/// <remarks>
/// For each event, the instance's new state, its commands and its timeouts commit with the process's checkpoint in one
/// batch: a crash at any point leaves every instance as if the event was handled once.
/// </remarks>
public interface IProcess<TState>
{
    /// <summary>The events the process listens to.</summary>
    EventFilter Filter { get; }

    /// <summary>The state of an instance that an event has just started.</summary>
    TState InitialState { get; }

    /// <summary>Which instance an event concerns, and whether it may start one; <see cref="ProcessRoute.Ignore"/> to pass it by.</summary>
    /// <param name="event">The event, decoded.</param>
    /// <returns>The route.</returns>
    ProcessRoute Route(object @event);

    /// <summary>Decides what an event, or one of the instance's own timeouts, does to an instance.</summary>
    /// <param name="state">The instance's state (<see cref="InitialState"/> when the event starts it).</param>
    /// <param name="message">The event, or the timeout's payload as it was scheduled.</param>
    /// <param name="context">The instance, the time, and what is being handled.</param>
    /// <returns>The new state, the commands to send, the timeouts to schedule or cancel, and whether the instance ends.</returns>
    ProcessStep<TState> Handle(TState state, object message, ProcessContext context);

    /// <summary>An event routed to an instance that does not exist, and that may not start one. Ignored by default.</summary>
    /// <param name="event">The event.</param>
    /// <param name="context">The instance it was routed to.</param>
    void OnNotFound(object @event, ProcessContext context)
    {
    }
}
