using Annals.Deciders;
using Annals.Serialization;

namespace Annals.Testing.Deciders;

/// <summary>A decider specification's history: the events that happened before the command.</summary>
/// <typeparam name="TCommand">The commands.</typeparam>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The events.</typeparam>
public sealed class DeciderGiven<TCommand, TState, TEvent>
{
    private readonly IDecider<TCommand, TState, TEvent> _decider;
    private readonly IReadOnlyList<TEvent> _history;
    private readonly EventCodec? _codec;

    internal DeciderGiven(IDecider<TCommand, TState, TEvent> decider, IReadOnlyList<TEvent> history, EventCodec? codec)
    {
        _decider = decider;
        _history = history;
        _codec = codec;
    }

    /// <summary>Adds events that happened before the command.</summary>
    /// <param name="events">The events, in order.</param>
    /// <returns>A specification with them added.</returns>
    public DeciderGiven<TCommand, TState, TEvent> Given(params IEnumerable<TEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new DeciderGiven<TCommand, TState, TEvent>(_decider, [.. _history, .. events], _codec);
    }

    /// <summary>
    /// Also checks that every given and decided event survives the trip through a codec (registered type,
    /// serialized, read back equal), as it will in a store.
    /// </summary>
    /// <param name="codec">The codec the application uses.</param>
    /// <returns>A specification that checks it.</returns>
    public DeciderGiven<TCommand, TState, TEvent> WithCodec(EventCodec codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        return new DeciderGiven<TCommand, TState, TEvent>(_decider, _history, codec);
    }

    /// <summary>Decides a command on the state the given events fold into.</summary>
    /// <param name="command">The command.</param>
    /// <returns>The outcome, to check with <c>Then</c>.</returns>
    public DeciderOutcome<TCommand, TState, TEvent> When(TCommand command)
    {
        var history = _codec is null ? _history : [.. _history.Select(e => SpecCodec.RoundTrip(_codec, e, "given"))];
        var state = _decider.InitialState;
        foreach (var e in history)
        {
            state = _decider.Evolve(state, e);
        }

        try
        {
            var decided = _decider.Decide(command, state).ToList();
            if (_codec is not null)
            {
                decided = [.. decided.Select(e => SpecCodec.RoundTrip(_codec, e, "decided"))];
            }

            return new DeciderOutcome<TCommand, TState, TEvent>(_decider, history, command, state, decided, null);
        }
        catch (SpecFailedException)
        {
            throw;
        }
        catch (Exception e)
        {
            return new DeciderOutcome<TCommand, TState, TEvent>(_decider, history, command, state, null, e);
        }
    }
}
