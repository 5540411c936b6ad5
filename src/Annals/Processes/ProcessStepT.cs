using Annals.Storage;

namespace Annals.Processes;

/// <summary>What one step does to an instance: its new state, the commands it sends, the timeouts it schedules or cancels, and whether it ends.</summary>
/// <typeparam name="TState">The state.</typeparam>
public sealed class ProcessStep<TState>
{
    private readonly List<ProcessCommand> _commands = [];
    private readonly List<ProcessTimeout> _timeouts = [];
    private readonly List<string> _cancelled = [];

    internal ProcessStep(TState state) => State = state;

    /// <summary>The instance's state after the step.</summary>
    public TState State { get; }

    /// <summary>The commands to send, in order.</summary>
    public IReadOnlyList<ProcessCommand> Commands => _commands;

    /// <summary>The timeouts to schedule; one of a name already pending replaces it.</summary>
    public IReadOnlyList<ProcessTimeout> Timeouts => _timeouts;

    /// <summary>The names of the pending timeouts to cancel.</summary>
    public IReadOnlyList<string> Cancelled => _cancelled;

    /// <summary>Whether the instance ends: its state and every pending timeout are removed with the step.</summary>
    public bool Ends { get; private set; }

    /// <summary>Sends a command to a stream's handler (an entity, a decider) once the step is stored.</summary>
    /// <param name="target">The stream.</param>
    /// <param name="command">The command.</param>
    /// <returns>This step.</returns>
    public ProcessStep<TState> Send(StreamName target, object command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _commands.Add(new ProcessCommand(target, command));
        return this;
    }

    /// <summary>Schedules a timeout, replacing a pending one of the same name.</summary>
    /// <param name="name">Its name within the instance (letters, digits, '_' and '-').</param>
    /// <param name="dueAt">When it is due.</param>
    /// <param name="payload">What the instance gets back.</param>
    /// <returns>This step.</returns>
    public ProcessStep<TState> Schedule(string name, DateTimeOffset dueAt, object payload)
    {
        ProcessNames.CheckTimeout(name);
        ArgumentNullException.ThrowIfNull(payload);
        _timeouts.RemoveAll(t => t.Name == name);
        _cancelled.Remove(name);
        _timeouts.Add(new ProcessTimeout(name, dueAt, payload));
        return this;
    }

    /// <summary>Cancels a pending timeout; cancelling one that is not pending does nothing.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>This step.</returns>
    public ProcessStep<TState> Cancel(string name)
    {
        ProcessNames.CheckTimeout(name);
        _timeouts.RemoveAll(t => t.Name == name);
        if (!_cancelled.Contains(name))
        {
            _cancelled.Add(name);
        }

        return this;
    }

    /// <summary>Ends the instance once its commands are sent: its state and every pending timeout go.</summary>
    /// <returns>This step.</returns>
    public ProcessStep<TState> End()
    {
        Ends = true;
        return this;
    }
}
