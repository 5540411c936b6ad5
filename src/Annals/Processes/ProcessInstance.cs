using Annals.Serialization;
using Annals.Storage;

namespace Annals.Processes;

/// <summary>
/// One instance while a batch (or a timeout) is being handled: its state as stored, and what the steps so far change,
/// written into one commit at the end so that several events to one instance in a batch make one write.
/// </summary>
/// <typeparam name="TState">The state.</typeparam>
internal sealed class ProcessInstance<TState>
{
    private readonly List<(Guid Id, ProcessTimeout Timeout, MessageLinks Links)> _scheduled = [];
    private readonly HashSet<Guid> _removed = [];
    private readonly List<(Guid Id, ProcessCommand Command, MessageLinks Links)> _commands = [];
    private readonly Dictionary<string, (int Commands, int Timeouts)> _byCause = new(StringComparer.Ordinal);

    public ProcessInstance(string id, StreamName key, long storedVersion, InstanceRecord? record, TState state)
    {
        Id = id;
        Key = key;
        StoredVersion = storedVersion;
        Record = record;
        State = state;
        Pending = record is null ? new(StringComparer.Ordinal) : new(record.Timeouts, StringComparer.Ordinal);
    }

    public string Id { get; }

    public StreamName Key { get; }

    /// <summary>The version of the stored record; 0 when none is stored.</summary>
    public long StoredVersion { get; }

    public InstanceRecord? Record { get; }

    public TState State { get; private set; }

    /// <summary>Whether the instance exists now: stored and not ended, or started by an earlier step of this batch.</summary>
    public bool Exists { get; private set; }

    public bool Changed { get; private set; }

    public Dictionary<string, Guid> Pending { get; }

    public IReadOnlyList<(Guid Id, ProcessTimeout Timeout, MessageLinks Links)> NewTimeouts => _scheduled;

    /// <summary>Timeouts stored before this batch that it removes.</summary>
    public IReadOnlyCollection<Guid> RemovedTimeouts => _removed;

    public IReadOnlyList<(Guid Id, ProcessCommand Command, MessageLinks Links)> Commands => _commands;

    public ProcessInstance<TState> MarkExisting(bool exists)
    {
        Exists = exists;
        return this;
    }

    /// <summary>
    /// Applies a step: its state, its commands and timeouts with ids derived from what caused them (an event, or a
    /// timeout whose id was derived so in turn), its cancellations, its end. So an instance ended and started again
    /// under the same id gets ids of its own, and several steps of one cause (an event an upcaster split) get distinct ones.
    /// </summary>
    public void Apply(ProcessStep<TState> step, string causeId, MessageLinks links)
    {
        Changed = true;
        Exists = !step.Ends;
        State = step.State;
        var (sent, scheduled) = _byCause.GetValueOrDefault(causeId);
        foreach (var command in step.Commands)
        {
            _commands.Add((EventIds.Derive(Key, $"{causeId}:command", sent++), command, links));
        }

        foreach (var name in step.Cancelled)
        {
            Drop(name);
        }

        foreach (var timeout in step.Timeouts)
        {
            Drop(timeout.Name);
            // Of what scheduled it, as a command's id is: an instance started again after it ended never reuses an id
            // of its first life, whose commands may still be queued (parked).
            var id = EventIds.Derive(Key, $"{causeId}:timeout", scheduled++);
            Pending[timeout.Name] = id;
            _scheduled.Add((id, timeout, links));
        }

        _byCause[causeId] = (sent, scheduled);
        if (step.Ends)
        {
            foreach (var name in Pending.Keys.ToList())
            {
                Drop(name);
            }
        }
    }

    /// <summary>Drops a pending timeout: one scheduled in this batch is never stored, one stored before is removed.</summary>
    private void Drop(string name)
    {
        if (!Pending.Remove(name, out var id))
        {
            return;
        }

        if (_scheduled.RemoveAll(s => s.Id == id) == 0)
        {
            _removed.Add(id);
        }
    }
}
