using Annals.Deciders;

namespace Annals.Testing.Deciders;

/// <summary>What a decider did with the command: events, or an exception. Check it with <see cref="Then"/> or <see cref="ThenThrows{TException}"/>.</summary>
/// <typeparam name="TCommand">The commands.</typeparam>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The events.</typeparam>
public sealed class DeciderOutcome<TCommand, TState, TEvent>
{
    private readonly IDecider<TCommand, TState, TEvent> _decider;
    private readonly IReadOnlyList<TEvent> _history;
    private readonly TCommand _command;
    private readonly TState _state;
    private readonly IReadOnlyList<TEvent>? _decided;
    private readonly Exception? _thrown;

    internal DeciderOutcome(IDecider<TCommand, TState, TEvent> decider, IReadOnlyList<TEvent> history, TCommand command, TState state, IReadOnlyList<TEvent>? decided, Exception? thrown)
    {
        _decider = decider;
        _history = history;
        _command = command;
        _state = state;
        _decided = decided;
        _thrown = thrown;
    }

    /// <summary>Checks that the command decided exactly these events, in this order (none for no change).</summary>
    /// <param name="expected">The events expected.</param>
    /// <returns>The state after the given and the decided events, for further checks.</returns>
    /// <exception cref="SpecFailedException">The decider threw, or decided other events; the message shows expected and actual side by side.</exception>
    public TState Then(params IEnumerable<TEvent> expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var wanted = expected.ToList();
        if (_thrown is not null)
        {
            throw Fail($"expected {Count(wanted.Count)}, but Decide threw {_thrown.GetType().Name}: {_thrown.Message}", wanted, null);
        }

        var difference = SpecText.FirstDifference(wanted, _decided!);
        if (difference is not null)
        {
            throw Fail(difference, wanted, _decided);
        }

        var state = _state;
        foreach (var e in _decided!)
        {
            state = _decider.Evolve(state, e);
        }

        return state;
    }

    /// <summary>Checks that the command was rejected with a <typeparamref name="TException"/> (or a type derived from it).</summary>
    /// <typeparam name="TException">The exception expected.</typeparam>
    /// <param name="check">Further checks of the exception, returning <see langword="false"/> when it is not the one expected; none when <see langword="null"/>.</param>
    /// <returns>The exception, for further checks.</returns>
    /// <exception cref="SpecFailedException">The decider decided events, threw another exception, or the check failed.</exception>
    public TException ThenThrows<TException>(Func<TException, bool>? check = null)
        where TException : Exception
    {
        if (_thrown is null)
        {
            throw Fail($"expected {typeof(TException).Name} to be thrown, but Decide returned {Count(_decided!.Count)}", null, _decided);
        }

        if (_thrown is not TException typed)
        {
            throw Fail($"expected {typeof(TException).Name} to be thrown, but Decide threw {_thrown.GetType().Name}: {_thrown.Message}", null, null);
        }

        if (check is not null && !check(typed))
        {
            throw Fail($"{typeof(TException).Name} was thrown as expected, but not the one expected: {typed.Message}", null, null);
        }

        return typed;
    }

    private static string Count(int n) => n == 1 ? "1 event" : $"{n} events";

    private SpecFailedException Fail(string problem, IReadOnlyList<TEvent>? expected, IReadOnlyList<TEvent>? actual) =>
        new(SpecText.Report(problem, _history, _command, expected, actual));
}
